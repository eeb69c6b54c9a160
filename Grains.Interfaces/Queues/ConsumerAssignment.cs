namespace OrleansSync.Queues;

/// <summary>The partitions a consumer owns in its group, as of one rebalance.</summary>
/// <param name="Generation">Increases with every rebalance of the group; a partition accepts a consumer's claim only for the newest generation it has seen.</param>
/// <param name="Partitions">The partitions this consumer owns (possibly none when the group has more consumers than partitions).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.ConsumerAssignment")]
public sealed record ConsumerAssignment(
    [property: Id(0)] long Generation,
    [property: Id(1)] IReadOnlyList<int> Partitions);
