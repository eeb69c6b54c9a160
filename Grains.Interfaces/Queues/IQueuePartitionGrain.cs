using Orleans.Concurrency;

namespace OrleansSync.Queues;

/// <summary>
/// The single writer of one partition's log (key <c>{queue}|{partition}</c>): assigns offsets, drops duplicate ids inside
/// the dedupe window, appends durably, then pushes the new messages on the partition's stream. It also keeps the
/// partition's dead-letter records.
/// </summary>
[Alias("OrleansSync.Queues.IQueuePartitionGrain")]
public interface IQueuePartitionGrain : IGrainWithStringKey
{
    /// <summary>Appends the messages (ids already assigned) in order; answers how many were new (not duplicates).</summary>
    [Alias("Append")]
    Task<int> Append(IReadOnlyList<QueueMessage> messages);

    /// <summary>Reads up to <paramref name="max"/> messages from <paramref name="fromOffset"/> on.</summary>
    [Alias("Read")]
    Task<QueuePartitionRead> Read(long fromOffset, int max);

    /// <summary>Reads the messages at the given offsets (missing ones are skipped).</summary>
    [Alias("ReadOffsets")]
    Task<IReadOnlyList<StoredQueueMessage>> ReadOffsets(IReadOnlyList<long> offsets);

    /// <summary>The partition's next offset (= number of messages stored).</summary>
    [Alias("GetEnd")]
    Task<long> GetEnd();

    /// <summary>
    /// The partition's next offset, like <see cref="GetEnd"/>, and from now on this activation also sends what it appends
    /// straight to <paramref name="group"/>'s group-partition grain (<see cref="IConsumerGroupPartitionGrain.Appended"/>),
    /// besides the stream. Kept in memory: a group-partition grain calls it again periodically while it waits.
    /// </summary>
    [Alias("Watch")]
    Task<long> Watch(string group);

    /// <summary>Stops the direct sends of <see cref="Watch"/> to <paramref name="group"/> (one-way: a deactivating caller does not wait).</summary>
    [OneWay]
    [Alias("Unwatch")]
    Task Unwatch(string group);

    /// <summary>Stores dead-letter records of <paramref name="group"/> (idempotent per offset).</summary>
    [Alias("AddDeadLetters")]
    Task AddDeadLetters(string group, IReadOnlyList<DeadLetterRecord> records);

    /// <summary>Lists up to <paramref name="max"/> dead-letter records of <paramref name="group"/>, oldest offset first.</summary>
    [Alias("ListDeadLetters")]
    Task<IReadOnlyList<DeadLetterRecord>> ListDeadLetters(string group, int max);

    /// <summary>Deletes dead-letter records of <paramref name="group"/>.</summary>
    [Alias("RemoveDeadLetters")]
    Task RemoveDeadLetters(string group, IReadOnlyList<long> offsets);

    /// <summary>How many dead-letter records <paramref name="group"/> has here.</summary>
    [Alias("CountDeadLetters")]
    Task<long> CountDeadLetters(string group);
}
