namespace OrleansSync.Replication;

/// <summary>What one copy reports about itself (failover and sync read it).</summary>
/// <param name="PromisedEpoch">The highest epoch it accepted; anything from an older epoch is rejected.</param>
/// <param name="SyncedEpoch">The epoch whose primary last brought it up to date (its data is a prefix of that primary's).</param>
/// <param name="High">The highest version it holds.</param>
/// <param name="LastEntryEpoch">The epoch of the write at <paramref name="High"/>.</param>
/// <param name="Consistent">False while a catch-up from a compacted store is under way (then it must not become primary).</param>
/// <param name="IsPrimary">Whether it is the primary of <paramref name="PromisedEpoch"/>.</param>
/// <param name="Silo">The silo hosting it (host:port).</param>
/// <param name="Committed">On a primary: the highest version durable on a majority of copies.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaCopyState")]
public sealed record ReplicaCopyState(
    [property: Id(0)] long PromisedEpoch,
    [property: Id(1)] long SyncedEpoch,
    [property: Id(2)] long High,
    [property: Id(3)] long LastEntryEpoch,
    [property: Id(4)] bool Consistent,
    [property: Id(5)] bool IsPrimary,
    [property: Id(6)] string Silo,
    [property: Id(7)] long Committed);
