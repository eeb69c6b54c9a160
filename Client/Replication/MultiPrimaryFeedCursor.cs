using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// Where a watcher of a multi-primary group stands: the version delivered per key, and from where the next catch-up read
/// starts. A multi-primary write gets its version (clock stamp) when a copy takes it but is acknowledged later, and copies
/// take writes concurrently, so a write can become visible after writes with larger versions were read. The next read
/// therefore starts <see cref="LookBack"/> before the highest version read, and per-key versions drop what was already
/// delivered.
/// </summary>
internal sealed class MultiPrimaryFeedCursor(long fromVersion)
{
    /// <summary>How far back (in version units: 65,536 per millisecond) a catch-up read starts: 60 s, far beyond a write's time to acknowledgement.</summary>
    public const long LookBack = 60_000L * 65_536;

    private readonly Dictionary<string, ReplicaChange> _delivered = new(StringComparer.Ordinal);
    private long _read;

    /// <summary>The exclusive lower bound of the next catch-up read.</summary>
    public long ReadFrom => Math.Max(fromVersion, _read - LookBack);

    /// <summary>Records that reads are complete up to <paramref name="version"/>.</summary>
    public void Read(long version) => _read = Math.Max(_read, version);

    /// <summary>
    /// Whether <paramref name="change"/> is newer than anything delivered for its key (and after the start); if so it
    /// counts as delivered. Equal versions from two copies are ordered by writer, as the register orders them.
    /// </summary>
    public bool TryDeliver(ReplicaChange change)
    {
        if (change.Version <= fromVersion || (_delivered.TryGetValue(change.Key, out var delivered) && !change.IsNewerThan(delivered)))
        {
            return false;
        }

        _delivered[change.Key] = change;
        return true;
    }
}
