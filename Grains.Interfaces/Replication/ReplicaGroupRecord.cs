namespace OrleansSync.Replication;

/// <summary>
/// A replica group's configuration as its copies' silos keep it in the embedded profile, where the group's own stored
/// configuration lives in one silo's memory and dies with that silo.
/// </summary>
/// <param name="Mode">Primary-backup or multi-primary.</param>
/// <param name="Replicas">Number of copies.</param>
/// <param name="Epoch">The group's epoch when the record was kept (primary-backup; 0 for multi-primary).</param>
/// <param name="Primary">The primary copy's index for <paramref name="Epoch"/>.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaGroupRecord")]
public sealed record ReplicaGroupRecord(
    [property: Id(0)] ReplicationMode Mode,
    [property: Id(1)] int Replicas,
    [property: Id(2)] long Epoch,
    [property: Id(3)] int Primary);
