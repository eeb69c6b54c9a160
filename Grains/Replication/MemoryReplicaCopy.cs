namespace OrleansSync.Replication;

/// <summary>One copy's data in memory: latest write per key, and a version index for ordered range reads.</summary>
internal sealed class MemoryReplicaCopy
{
    public object Gate { get; } = new();

    public ReplicaCopyMeta Meta { get; set; } = ReplicaCopyMeta.Fresh;

    public Dictionary<string, ReplicaChange> Latest { get; } = new(StringComparer.Ordinal);

    /// <summary>Version → key of the row holding it (only latest versions are indexed).</summary>
    public SortedDictionary<long, string> ByVersion { get; } = [];

    public void Put(ReplicaChange change)
    {
        if (Latest.TryGetValue(change.Key, out var current))
        {
            if (current.Version >= change.Version)
            {
                return;
            }

            ByVersion.Remove(current.Version);
        }

        Latest[change.Key] = change;
        ByVersion[change.Version] = change.Key;
    }

    public void Clear()
    {
        Latest.Clear();
        ByVersion.Clear();
    }
}
