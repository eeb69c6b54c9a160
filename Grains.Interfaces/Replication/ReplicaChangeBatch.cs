namespace OrleansSync.Replication;

/// <summary>Consecutive changes of a group, in version order, as one change-feed event.</summary>
/// <param name="Changes">The changes; the first one follows the previous event's last one.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaChangeBatch")]
public sealed record ReplicaChangeBatch([property: Id(0)] IReadOnlyList<ReplicaChange> Changes);
