namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Durable home of multi-primary copies' data: one record per (group, copy, key). Only the copy's grain writes its
/// records, one save at a time, each save holding states at least as new as the previous one.
/// </summary>
internal interface ICopyStore
{
    /// <summary>Whether the data is lost when the silo stops (memory profile).</summary>
    bool IsVolatile { get; }

    /// <summary>Every key the copy holds.</summary>
    Task<IReadOnlyDictionary<string, ReplicatedValue>> LoadAsync(string group, int copy, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the given keys' states and removes the keys whose state is null (purged), atomically.</summary>
    Task SaveAsync(string group, int copy, IReadOnlyList<KeyValuePair<string, ReplicatedValue?>> entries, CancellationToken cancellationToken);
}
