namespace OrleansSync.Replication;

/// <summary>One write of a replica group, as copies exchange it and as the change feed delivers it.</summary>
/// <param name="Key">The key written.</param>
/// <param name="Value">The value; null when <paramref name="Deleted"/>.</param>
/// <param name="Version">
/// Primary-backup: the write's place in the group-wide order (1, 2, 3, …; the primary assigns it). Multi-primary: the
/// key's register clock stamp as a number (larger for a later write of the same key). Either way it is the key's version
/// until the key is written again.
/// </param>
/// <param name="Epoch">Primary-backup: the epoch of the primary that ordered the write. Multi-primary: 0 (no primary, no failover).</param>
/// <param name="Deleted">Whether the write removed the key.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaChange")]
public sealed record ReplicaChange(
    [property: Id(0)] string Key,
    [property: Id(1)] byte[]? Value,
    [property: Id(2)] long Version,
    [property: Id(3)] long Epoch,
    [property: Id(4)] bool Deleted);
