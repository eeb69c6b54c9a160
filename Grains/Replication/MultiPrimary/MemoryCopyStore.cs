using System.Collections.Concurrent;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// The embedded profile's copy store: a silo-wide singleton in memory, lost when the silo stops. A copy that comes back
/// on another silo (or on a restarted one) starts empty and is refilled by anti-entropy from its peers. Saves merge
/// rather than overwrite, so even a stale copy of the grain on this silo can never move a key backwards.
/// </summary>
internal sealed class MemoryCopyStore : ICopyStore
{
    private readonly ConcurrentDictionary<(string Group, int Copy), ConcurrentDictionary<string, ReplicatedValue>> _copies = new();

    public bool IsVolatile => true;

    public Task<IReadOnlyDictionary<string, ReplicatedValue>> LoadAsync(string group, int copy, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ReplicatedValue>>(new Dictionary<string, ReplicatedValue>(Copy(group, copy), StringComparer.Ordinal));

    public Task SaveAsync(string group, int copy, IReadOnlyList<KeyValuePair<string, ReplicatedValue?>> entries, CancellationToken cancellationToken)
    {
        var store = Copy(group, copy);
        foreach (var (key, value) in entries)
        {
            if (value is null)
            {
                store.TryRemove(key, out _);
                continue;
            }

            store.AddOrUpdate(key, static (_, incoming) => incoming, static (_, old, incoming) => old.Merge(incoming), value);
        }

        return Task.CompletedTask;
    }

    private ConcurrentDictionary<string, ReplicatedValue> Copy(string group, int copy) =>
        _copies.GetOrAdd((group, copy), static _ => new ConcurrentDictionary<string, ReplicatedValue>(StringComparer.Ordinal));
}
