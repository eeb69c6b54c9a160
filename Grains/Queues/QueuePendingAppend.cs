namespace OrleansSync.Queues;

/// <summary>One caller's append waiting in <see cref="QueuePartitionGrain"/> for the next group commit.</summary>
internal sealed class QueuePendingAppend(IReadOnlyList<QueueMessage> messages)
{
    public IReadOnlyList<QueueMessage> Messages { get; } = messages;

    /// <summary>Completed with how many of <see cref="Messages"/> were stored, or with the append's failure.</summary>
    public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
