namespace OrleansSync.Queues;

/// <summary>
/// Storage of the queues' partition logs, dedupe windows and dead-letter records. Only a partition's
/// <see cref="QueuePartitionGrain"/> calls it for that partition, so there is one writer per partition.
/// </summary>
internal interface IQueueLog
{
    /// <summary>Whether the data is lost when the silo stops (memory profile).</summary>
    bool IsVolatile { get; }

    /// <summary>
    /// Opens the partition for appending: reads its end offset (and whatever the log needs to keep the dedupe window,
    /// as of <paramref name="now"/>). Only the partition's grain activation opens it and uses the writer.
    /// </summary>
    Task<IQueuePartitionWriter> OpenWriterAsync(string queue, int partition, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken);

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
