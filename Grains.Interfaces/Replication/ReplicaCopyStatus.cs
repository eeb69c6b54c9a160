namespace OrleansSync.Replication;

/// <summary>One copy in a group's status.</summary>
/// <param name="Index">The copy's index, 0-based.</param>
/// <param name="Silo">The silo hosting it (host:port), or null when it did not answer.</param>
/// <param name="Role">Primary, backup or unreachable.</param>
/// <param name="Version">The highest version it holds.</param>
/// <param name="Lag">How many versions it is behind the primary (0 for the primary; 0 when unreachable and unknown).</param>
/// <param name="Epoch">The highest epoch it has accepted.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaCopyStatus")]
public sealed record ReplicaCopyStatus(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Silo,
    [property: Id(2)] ReplicaRole Role,
    [property: Id(3)] long Version,
    [property: Id(4)] long Lag,
    [property: Id(5)] long Epoch);
