namespace OrleansSync.Replication;

/// <summary>Where a primary-backup group's writes go in one epoch: its primary copy.</summary>
/// <param name="Epoch">The group's epoch; the copy refuses writes sent for any other.</param>
/// <param name="Primary">The index of the primary copy in that epoch.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaWriteTarget")]
public sealed record ReplicaWriteTarget([property: Id(0)] long Epoch, [property: Id(1)] int Primary);
