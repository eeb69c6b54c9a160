namespace OrleansSync.Queues;

/// <summary>Where a consumer group reads a partition next: the next message it will be handed there has <see cref="Offset"/>.</summary>
/// <param name="Partition">Partition number.</param>
/// <param name="Offset">The group's position in that partition (0 = the first message of the log).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueuePartitionPosition")]
public sealed record QueuePartitionPosition([property: Id(0)] int Partition, [property: Id(1)] long Offset);
