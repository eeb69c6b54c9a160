using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// One group's way into the cluster for this client's write calls: an <see cref="IReplicaWriteEntryGrain"/> that runs on
/// the group grain's silo (<see cref="ReplicaWriteEntries"/>). Found in the background, asked again every
/// <see cref="TrustFor"/> (the group grain can move), dropped when a call through it fails on its way. Without one,
/// calls go to the group grain directly: the way in saves a hop, it never decides where a write goes.
/// </summary>
internal sealed class ReplicaWriteRoute(IReplicaGroupGrain group, ReplicaWriteEntries entries)
{
    /// <summary>How long a found way in is trusted before the group is asked again.</summary>
    private static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(30);

    /// <summary>After a failed search or a failed call, the next search waits this long.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private Entry? _entry;
    private long _searchDueAt;
    private bool _searching;

    /// <summary>The current way in, or null (call the group grain); starts a search when one is due.</summary>
    public Entry? Current()
    {
        lock (_lock)
        {
            if (!_searching && Environment.TickCount64 >= _searchDueAt)
            {
                _searching = true;
                _ = SearchAsync();
            }

            return _entry;
        }
    }

    /// <summary>A call through <paramref name="failed"/> failed on its way: back to the group grain until a new search.</summary>
    public void Failed(Entry failed)
    {
        entries.Forget(failed.Silo);
        lock (_lock)
        {
            if (ReferenceEquals(_entry, failed))
            {
                _entry = null;
                _searchDueAt = Math.Min(_searchDueAt, Environment.TickCount64 + (long)RetryAfter.TotalMilliseconds);
            }
        }
    }

    private async Task SearchAsync()
    {
        Entry? found = null;
        var nextAfter = TrustFor;
        try
        {
            var silo = await group.GetHostSilo().ConfigureAwait(false);
            var entry = await entries.FindAsync(silo, CancellationToken.None).ConfigureAwait(false);
            found = entry is null ? null : new Entry(silo, entry);
        }
#pragma warning disable CA1031 // the way in is an optimization: without one, calls go to the group grain
        catch (Exception)
#pragma warning restore CA1031
        {
            nextAfter = RetryAfter;
        }

        lock (_lock)
        {
            _entry = found;
            _searchDueAt = Environment.TickCount64 + (long)nextAfter.TotalMilliseconds;
            _searching = false;
        }
    }

    /// <summary>An entry that runs on <paramref name="Silo"/>, the group grain's silo when it was found.</summary>
    internal sealed record Entry(SiloAddress Silo, IReplicaWriteEntryGrain Grain);
}
