namespace OrleansSync.Replication;

/// <summary>
/// The change feed of a replica group: provider <see cref="ProviderNames.Streams"/>, one stream per group, carrying
/// <see cref="ReplicaChangeBatch"/> events. The primary publishes each change once a majority of copies hold it, in version
/// order; a subscriber that misses events (stream events are not durable) fills the gap with
/// <see cref="IReplicaGroupGrain.ReadChanges"/>, which is what the client's <c>WatchAsync</c> does. A primary-backup
/// group publishes only while it is followed: a call to <see cref="IReplicaGroupGrain.ReadChanges"/> keeps it publishing
/// for three times <see cref="KeepPublishedEvery"/>, so a raw stream subscriber must read at least that often (a
/// multi-primary group always publishes).
/// </summary>
public static class ReplicaFeedStream
{
    /// <summary>The stream namespace.</summary>
    public const string Namespace = "orleanssync.replica-feed";

    /// <summary>The stream key of <paramref name="group"/> within <see cref="Namespace"/>: the group name itself.</summary>
    public static string Key(string group) => group;

    /// <summary>How often a follower of the feed reads the changes to keep a primary-backup group publishing: 10 s.</summary>
    public static readonly TimeSpan KeepPublishedEvery = TimeSpan.FromSeconds(10);
}
