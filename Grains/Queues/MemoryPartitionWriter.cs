namespace OrleansSync.Queues;

/// <summary>The embedded profile's <see cref="IQueuePartitionWriter"/>: the memory log keeps the dedupe window itself.</summary>
internal sealed class MemoryPartitionWriter(MemoryQueueLog log, string queue, int partition, long end) : IQueuePartitionWriter
{
    public long End { get; private set; } = end;

    public async Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        var appended = await log.AppendAsync(queue, partition, End, messages, now, dedupeWindow, cancellationToken).ConfigureAwait(false);
        if (appended.Count > 0)
        {
            End = appended[^1].Offset + 1;
        }

        return appended;
    }
}
