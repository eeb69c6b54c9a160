namespace OrleansSync.Queues;

/// <summary>
/// A partition grain activation's handle on its partition of the log (<see cref="IQueueLog.OpenWriterAsync"/>). Calls
/// are made one at a time. After a failed append the writer is not used again: the grain deactivates and the next
/// activation opens a new one, which reads the truth back.
/// </summary>
internal interface IQueuePartitionWriter
{
    /// <summary>The partition's next offset (0 for an empty partition).</summary>
    long End { get; }

    /// <summary>
    /// Appends the messages whose id was not stored in this partition within <paramref name="dedupeWindow"/> (nor earlier in
    /// the batch) at offsets <see cref="End"/>, +1, …, atomically and durably, and answers them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The partition does not end at <see cref="End"/> (another writer appended).</exception>
    Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken);
}
