using System.Collections.Concurrent;

namespace OrleansSync.Replication;

/// <summary>
/// The embedded profile's copy store: a silo-wide singleton in memory. A copy's data lives only on the silo that hosts the
/// copy, so losing the silo really loses that copy (replication to the other silos is what protects the data); a copy
/// activated on a silo that lacks its data starts empty and is brought up to date by the primary.
/// </summary>
internal sealed class MemoryReplicaStore : IReplicaStore
{
    private readonly ConcurrentDictionary<(string Group, int Copy), MemoryReplicaCopy> _copies = new();

    public bool IsVolatile => true;

    public Task<ReplicaCopyLoad> LoadAsync(string group, int copy, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            if (data.ByVersion.Count == 0)
            {
                return Task.FromResult(new ReplicaCopyLoad(data.Meta, 0, 0));
            }

            var last = data.Latest[data.ByVersion.Last().Value];
            return Task.FromResult(new ReplicaCopyLoad(data.Meta, last.Version, last.Epoch));
        }
    }

    public Task SaveMetaAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            data.Meta = meta;
        }

        return Task.CompletedTask;
    }

    public Task ApplyAsync(string group, int copy, IReadOnlyList<ReplicaChange> changes, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            foreach (var change in changes)
            {
                data.Put(change);
            }
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            data.Clear();
            data.Meta = meta;
        }

        return Task.CompletedTask;
    }

    public Task<ReplicaChange?> ReadAsync(string group, int copy, string key, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            return Task.FromResult(data.Latest.GetValueOrDefault(key));
        }
    }

    public Task<IReadOnlyList<ReplicaChange>> ReadRangeAsync(string group, int copy, long afterVersion, long throughVersion, int max, CancellationToken cancellationToken)
    {
        var data = Copy(group, copy);
        lock (data.Gate)
        {
            var found = new List<ReplicaChange>();
            foreach (var (version, key) in data.ByVersion)
            {
                if (version <= afterVersion)
                {
                    continue;
                }

                if (version > throughVersion || found.Count >= max)
                {
                    break;
                }

                found.Add(data.Latest[key]);
            }

            return Task.FromResult<IReadOnlyList<ReplicaChange>>(found);
        }
    }

    private MemoryReplicaCopy Copy(string group, int copy) => _copies.GetOrAdd((group, copy), static _ => new MemoryReplicaCopy());
}
