using System.Collections.Concurrent;
using System.Text;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>The change feed (<see cref="IReplicaService.WatchAsync"/>) of a multi-primary group on the shared 3-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaMultiPrimaryFeedTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IReplicaService Replicas => new ReplicaService(fixture.Client);

    [Fact]
    public async Task The_feed_delivers_earlier_and_live_writes_with_growing_versions_per_key_and_ends_at_the_group_state()
    {
        var group = NewGroup("mp-feed");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);
        var keys = Enumerable.Range(0, 12).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await Replicas.SetAsync(group, key, Bytes($"{key}=before"), WriteConsistency.Majority);
        }

        var seen = new ConcurrentQueue<ReplicaChange>();
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Replicas.WatchAsync(group, 0, stop.Token))
            {
                seen.Enqueue(change);
            }
        });

        // Catch-up: the writes made before the watch started.
        await Eventually.UntilAsync(() => Task.FromResult(keys.All(k => seen.Any(c => c.Key == k))), Deadline, "every key written before the watch is delivered");

        // Live: 4 writers over every copy (the group picks a random copy per write), with deletes mixed in.
        var acknowledged = new ConcurrentBag<(string Key, long Version)>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                foreach (var key in keys.Where((_, i) => i % 4 == w || round % 3 == 0))
                {
                    var result = (round + w) % 7 == 6
                        ? await Replicas.DeleteAsync(group, key, WriteConsistency.Majority)
                        : await Replicas.SetAsync(group, key, Bytes($"{key}=w{w}r{round}"), WriteConsistency.Majority);
                    acknowledged.Add((key, result.Version));
                }
            }
        })));

        var final = new Dictionary<string, ReplicaReadResult>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            final[key] = await Replicas.GetAsync(group, key, ReadConsistency.Majority);
        }

        await Eventually.UntilAsync(
            () => Task.FromResult(keys.All(k => LastOf(seen, k)?.Version == final[k].Version)),
            Deadline,
            "the watcher's latest change of every key is the group's current version");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

        foreach (var key in keys)
        {
            var changes = seen.Where(c => c.Key == key).ToList();
            Assert.True(
                changes.Zip(changes.Skip(1)).All(pair => pair.Second.IsNewerThan(pair.First)),
                $"each change of {key} is newer than the one before: {string.Join(", ", changes.Select(c => $"{c.Version}@{c.Writer}"))}");
            var last = changes[^1];
            Assert.Equal(!final[key].Found, last.Deleted);
            Assert.Equal(Text(final[key].Value), Text(last.Value));
            Assert.All(changes, c => Assert.Equal(0, c.Epoch));
            Assert.True(acknowledged.Where(a => a.Key == key).All(a => a.Version <= last.Version), $"no acknowledged write of {key} is newer than the last change delivered");
        }
    }

    [Fact]
    public async Task A_change_without_a_stream_event_is_delivered_by_the_catch_up_read_and_from_version_skips_older_writes()
    {
        var group = NewGroup("mp-feed-quiet");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);
        var old = await Replicas.SetAsync(group, "old", Bytes("before the start"), WriteConsistency.All);
        var start = await Replicas.SetAsync(group, "start", Bytes("the start"), WriteConsistency.All);

        var seen = new ConcurrentQueue<ReplicaChange>();
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Replicas.WatchAsync(group, start.Version, stop.Token))
            {
                seen.Enqueue(change);
            }
        });

        // Once a write made after the watch started is delivered, the watcher's first read is behind it.
        await Replicas.SetAsync(group, "marker", Bytes("live"), WriteConsistency.All);
        await Eventually.UntilAsync(() => Task.FromResult(seen.Any(c => c.Key == "marker")), Deadline, "the marker write is delivered");

        // A change that reaches copies only by replication (as a write whose event was lost): copies merge it without
        // publishing, so only the watcher's read when the stream is quiet can find it.
        var stamp = new HlcTimestamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000, 0, "feed-test");
        var entries = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal)
        {
            ["silent"] = new(new LwwRegister(stamp, Bytes("merged only")), null, null),
        };
        for (var i = 0; i < 3; i++)
        {
            await fixture.Client.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, i)).MergeEntries(3, entries);
        }

        await Eventually.UntilAsync(() => Task.FromResult(seen.Any(c => c.Key == "silent")), Deadline, "the merged-only change is delivered");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

        var silent = Assert.Single(seen, c => c.Key == "silent");
        Assert.Equal("merged only", Text(silent.Value));
        Assert.True(silent.Version > start.Version);
        Assert.True(old.Version < start.Version);
        Assert.DoesNotContain(seen, c => c.Key is "old" or "start");
        Assert.Equal(["marker", "silent"], seen.Select(c => c.Key));
    }

    private static ReplicaChange? LastOf(IEnumerable<ReplicaChange> seen, string key) => seen.LastOrDefault(c => c.Key == key);

    private static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
