namespace OrleansSync.Queues;

/// <summary>A slice of a partition's log.</summary>
/// <param name="Messages">Messages from the requested offset on, in order.</param>
/// <param name="EndOffset">The partition's next offset when read.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueuePartitionRead")]
public sealed record QueuePartitionRead(
    [property: Id(0)] IReadOnlyList<StoredQueueMessage> Messages,
    [property: Id(1)] long EndOffset);
