namespace OrleansSync.Replication;

/// <summary>A replica group's configuration and the state of its copies.</summary>
/// <param name="Group">The group name.</param>
/// <param name="Mode">How copies accept writes.</param>
/// <param name="Epoch">The current epoch: 1 after configuration, +1 on every failover.</param>
/// <param name="Replicas">How many copies the group has.</param>
/// <param name="Primary">The primary copy's index.</param>
/// <param name="DistinctSilos">False when the cluster has fewer silos than copies, so some copies share a silo.</param>
/// <param name="Copies">Each copy, by index.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaGroupStatus")]
public sealed record ReplicaGroupStatus(
    [property: Id(0)] string Group,
    [property: Id(1)] ReplicationMode Mode,
    [property: Id(2)] long Epoch,
    [property: Id(3)] int Replicas,
    [property: Id(4)] int Primary,
    [property: Id(5)] bool DistinctSilos,
    [property: Id(6)] IReadOnlyList<ReplicaCopyStatus> Copies);
