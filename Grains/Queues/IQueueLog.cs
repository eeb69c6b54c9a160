namespace OrleansSync.Queues;

/// <summary>
/// Storage of the queues' partition logs, dedupe windows and dead-letter records. Only a partition's
/// <see cref="QueuePartitionGrain"/> calls it for that partition, so there is one writer per partition.
/// </summary>
internal interface IQueueLog
{
    /// <summary>Whether the data is lost when the silo stops (memory profile).</summary>
    bool IsVolatile { get; }

    /// <summary>The partition's next offset (0 for an empty partition).</summary>
    Task<long> GetEndOffsetAsync(string queue, int partition, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the messages whose id was not stored in this partition within <paramref name="dedupeWindow"/> (nor earlier in
    /// the batch), at offsets <paramref name="firstOffset"/>, +1, …, atomically, and answers them.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="firstOffset"/> is not the partition's end (another writer).</exception>
    Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        string queue, int partition, long firstOffset, IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> messages from <paramref name="fromOffset"/> on, in order.</summary>
    Task<IReadOnlyList<StoredQueueMessage>> ReadAsync(string queue, int partition, long fromOffset, int max, CancellationToken cancellationToken);

    /// <summary>The messages at <paramref name="offsets"/> that exist, in offset order.</summary>
    Task<IReadOnlyList<StoredQueueMessage>> ReadOffsetsAsync(string queue, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken);

    /// <summary>Stores dead-letter records; a record for an offset already dead-lettered replaces it.</summary>
    Task AddDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<DeadLetterRecord> records, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> records, lowest offset first.</summary>
    Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(string queue, string group, int partition, int max, CancellationToken cancellationToken);

    /// <summary>Deletes the records at <paramref name="offsets"/>.</summary>
    Task RemoveDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken);

    /// <summary>How many records the group has on the partition.</summary>
    Task<long> CountDeadLettersAsync(string queue, string group, int partition, CancellationToken cancellationToken);
}
