namespace OrleansSync.Replication;

/// <summary>A page of a group's changes read from its primary.</summary>
/// <param name="Changes">
/// Changes with version above the asked one, in version order. The store keeps the latest write per key, so a key
/// written again later appears once, at its latest version (a compacted history).
/// </param>
/// <param name="CommittedVersion">The highest version durable on a majority of copies; pages never go beyond it.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaChangePage")]
public sealed record ReplicaChangePage([property: Id(0)] IReadOnlyList<ReplicaChange> Changes, [property: Id(1)] long CommittedVersion);
