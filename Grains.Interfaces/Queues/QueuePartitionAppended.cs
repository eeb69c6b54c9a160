namespace OrleansSync.Queues;

/// <summary>
/// The stream event a partition grain pushes after a durable append, waking the consumer-group partitions of every
/// group. It carries the new messages so a subscriber that is caught up need not read the log.
/// </summary>
/// <param name="EndOffset">The partition's next offset after the append.</param>
/// <param name="Messages">The appended messages, in offset order.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueuePartitionAppended")]
public sealed record QueuePartitionAppended(
    [property: Id(0)] long EndOffset,
    [property: Id(1)] IReadOnlyList<StoredQueueMessage> Messages);
