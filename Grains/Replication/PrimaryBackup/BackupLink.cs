namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>The primary's view of one backup: how far it is known to hold the primary's data, and its pump's wake-up.</summary>
internal sealed class BackupLink(int index, IReplicaCopyGrain copy)
{
    public int Index { get; } = index;

    public IReplicaCopyGrain Copy { get; } = copy;

    public AsyncSignal Signal { get; } = new();

    /// <summary>Whether the backup was checked (and reset if needed) in this epoch, so <see cref="Confirmed"/> is meaningful.</summary>
    public bool Synced { get; set; }

    /// <summary>The backup holds everything of the primary through this version.</summary>
    public long Confirmed { get; set; }

    /// <summary>Whether the backup told it holds a consistent state (not in a compacted catch-up).</summary>
    public bool Consistent { get; set; }

    /// <summary>
    /// After a compacted catch-up page: the backup is consistent again only once it holds everything through this version
    /// (keys overwritten while the pages were read come back only in later, uncompacted batches).
    /// </summary>
    public long ConsistentFrom { get; set; }

    /// <summary>Everything through this version was sent (batches under way included); never below <see cref="Confirmed"/>.</summary>
    public long Sent { get; set; }

    /// <summary>When the last streamed batch left (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>); paces a trailing backup.</summary>
    public long LastSentAt { get; set; }

    /// <summary>Batches sent and not answered yet.</summary>
    public int InFlight { get; set; }

    /// <summary>Counts syncs, so an answer to a batch sent before the latest sync is ignored.</summary>
    public int Session { get; set; }

    /// <summary>A batch under way failed: wait before syncing again.</summary>
    public bool Backoff { get; set; }
}
