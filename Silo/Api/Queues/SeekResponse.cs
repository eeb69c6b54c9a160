using OrleansSync.Queues;

namespace OrleansSync.Silo.Api.Queues;

/// <summary>The group's new position on each partition that moved.</summary>
internal sealed record SeekResponse(IReadOnlyList<QueuePartitionPosition> Partitions);
