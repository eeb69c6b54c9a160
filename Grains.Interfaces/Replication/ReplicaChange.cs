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
/// <param name="Writer">
/// Multi-primary: the clock node id that stamped the write. Two copies can stamp concurrent writes of a key with the same
/// version; the register keeps the one whose writer is larger (ordinal), and so does <see cref="IsNewerThan"/>. Null for
/// primary-backup.
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaChange")]
public sealed record ReplicaChange(
    [property: Id(0)] string Key,
    [property: Id(1)] byte[]? Value,
    [property: Id(2)] long Version,
    [property: Id(3)] long Epoch,
    [property: Id(4)] bool Deleted,
    [property: Id(5)] string? Writer = null)
{
    /// <summary>Whether this write of a key wins over <paramref name="other"/>: a larger version, or an equal one from a larger writer.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsNewerThan(ReplicaChange other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Version != other.Version
            ? Version > other.Version
            : string.CompareOrdinal(Writer ?? string.Empty, other.Writer ?? string.Empty) > 0;
    }
}
