namespace OrleansSync.Replication;

/// <summary>A copy's durable bookkeeping beside its data.</summary>
/// <param name="PromisedEpoch">The highest epoch it accepted.</param>
/// <param name="SyncedEpoch">The epoch whose primary last brought it up to date.</param>
/// <param name="Consistent">False while a compacted catch-up is under way.</param>
internal readonly record struct ReplicaCopyMeta(long PromisedEpoch, long SyncedEpoch, bool Consistent)
{
    public static ReplicaCopyMeta Fresh => new(0, 0, true);
}
