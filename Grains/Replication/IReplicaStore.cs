namespace OrleansSync.Replication;

/// <summary>
/// Storage of the copies of primary-backup groups: one row per (group, copy, key) holding the key's latest write and its
/// version (tombstones for deletes), plus a small bookkeeping row per copy. A write touches one row, never a blob of the
/// whole copy. Only the copy's own grain calls it for that copy.
/// </summary>
internal interface IReplicaStore
{
    /// <summary>Whether a copy's data is lost when its silo stops (memory profile).</summary>
    bool IsVolatile { get; }

    /// <summary>The copy's bookkeeping and data end (fresh values for a copy never stored).</summary>
    Task<ReplicaCopyLoad> LoadAsync(string group, int copy, CancellationToken cancellationToken);

    /// <summary>Replaces the copy's bookkeeping.</summary>
    Task SaveMetaAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken);

    /// <summary>Stores the writes atomically; a key keeps the write with the highest version.</summary>
    Task ApplyAsync(string group, int copy, IReadOnlyList<ReplicaChange> changes, CancellationToken cancellationToken);

    /// <summary>Deletes all of the copy's data and sets its bookkeeping, atomically.</summary>
    Task ResetAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken);

    /// <summary>The key's latest write in this copy, or null.</summary>
    Task<ReplicaChange?> ReadAsync(string group, int copy, string key, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> latest writes with version in (<paramref name="afterVersion"/>, <paramref name="throughVersion"/>], in version order.</summary>
    Task<IReadOnlyList<ReplicaChange>> ReadRangeAsync(string group, int copy, long afterVersion, long throughVersion, int max, CancellationToken cancellationToken);
}
