namespace OrleansSync.Queues;

/// <summary>How far one consumer group has handed out one partition; what the publish hold looks at.</summary>
/// <param name="NextOffset">The first offset not yet handed out to any consumer of the group.</param>
/// <param name="Consuming">
/// A consumer asked this group-partition for messages within the last second: only such a group holds publishes back
/// (a group nobody consumes from must not stop the producers).
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.GroupPartitionProgress")]
public sealed record GroupPartitionProgress(
    [property: Id(0)] long NextOffset,
    [property: Id(1)] bool Consuming);
