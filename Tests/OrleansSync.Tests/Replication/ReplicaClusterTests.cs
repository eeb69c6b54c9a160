using System.Text;
using Orleans.Streams;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>Primary-backup groups on the shared 3-silo cluster (embedded profile: copy data in each silo's memory).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaClusterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IReplicaService Replicas => new ReplicaService(fixture.Client);

    [Fact]
    public async Task Three_copies_live_on_three_distinct_silos_with_copy_0_primary_in_epoch_1()
    {
        var group = NewGroup("placed");
        var status = await Replicas.ConfigureAsync(group, replicas: 3);

        Assert.Equal(1, status.Epoch);
        Assert.Equal(0, status.Primary);
        Assert.True(status.DistinctSilos);
        Assert.Equal(3, status.Copies.Select(c => c.Silo).Distinct().Count());
        Assert.All(status.Copies, c => Assert.NotNull(c.Silo));
        Assert.Equal(ReplicaRole.Primary, status.Copies[0].Role);
        Assert.All(status.Copies.Skip(1), c => Assert.Equal(ReplicaRole.Backup, c.Role));

        // The placement follows the ring's preference list, so it is the same for the same group every time.
        var again = await Replicas.GetStatusAsync(group);
        Assert.Equal(status.Copies.Select(c => c.Silo), again.Copies.Select(c => c.Silo));
    }

    [Fact]
    public async Task Writes_are_acknowledged_by_as_many_copies_as_asked_and_all_copies_converge()
    {
        var group = NewGroup("acks");
        await Replicas.ConfigureAsync(group, replicas: 3);

        var all = await Replicas.SetAsync(group, "a", Bytes("1"), WriteConsistency.All);
        Assert.Equal(3, all.Acks);
        var majority = await Replicas.SetAsync(group, "b", Bytes("2"), WriteConsistency.Majority);
        Assert.True(majority.Acks >= 2, $"majority write acknowledged by {majority.Acks}");
        var one = await Replicas.SetAsync(group, "c", Bytes("3"), WriteConsistency.One);
        Assert.True(one.Acks >= 1);
        Assert.True(all.Version < majority.Version && majority.Version < one.Version, "versions follow the write order");

        // Every copy ends up with every write: lag 0 everywhere.
        var status = await Eventually.UntilAsync(
            () => Replicas.GetStatusAsync(group),
            s => s.Copies.All(c => c.Version == one.Version && c.Lag == 0),
            Deadline,
            "every copy holds the last write");
        Assert.All(status.Copies, c => Assert.NotEqual(ReplicaRole.Unreachable, c.Role));
    }

    [Fact]
    public async Task Reads_at_primary_and_majority_see_every_acknowledged_write_and_any_reads_one_copy()
    {
        var group = NewGroup("reads");
        await Replicas.ConfigureAsync(group);
        for (var i = 1; i <= 20; i++)
        {
            var written = await Replicas.SetAsync(group, "counter", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), WriteConsistency.Majority);
            var primary = await Replicas.GetAsync(group, "counter", ReadConsistency.Primary);
            var majority = await Replicas.GetAsync(group, "counter", ReadConsistency.Majority);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(primary.Value));
            Assert.Equal(written.Version, primary.Version);
            Assert.Equal(written.Version, majority.Version);
            Assert.Equal(Text(primary.Value), Text(majority.Value));
        }

        var any = await Replicas.GetAsync(group, "counter", ReadConsistency.Any);
        Assert.True(any.Found);
        Assert.InRange(any.Version, 1, (await Replicas.GetAsync(group, "counter")).Version);

        var missing = await Replicas.GetAsync(group, "never-written", ReadConsistency.Majority);
        Assert.False(missing.Found);
        Assert.Equal(0, missing.Version);
    }

    [Fact]
    public async Task A_conditional_write_with_a_stale_expected_version_is_refused_with_the_current_version()
    {
        var group = NewGroup("cas");
        await Replicas.ConfigureAsync(group);

        var created = await Replicas.SetAsync(group, "k", Bytes("first"), expectedVersion: 0);
        var conflict = await Assert.ThrowsAsync<ReplicaVersionConflictException>(() => Replicas.SetAsync(group, "k", Bytes("again"), expectedVersion: 0));
        Assert.Equal(created.Version, conflict.ActualVersion);
        Assert.Equal(0, conflict.ExpectedVersion);

        var updated = await Replicas.SetAsync(group, "k", Bytes("second"), expectedVersion: created.Version);
        await Assert.ThrowsAsync<ReplicaVersionConflictException>(() => Replicas.SetAsync(group, "k", Bytes("lost update"), expectedVersion: created.Version));
        Assert.Equal("second", Text((await Replicas.GetAsync(group, "k")).Value));

        await Assert.ThrowsAsync<ReplicaVersionConflictException>(() => Replicas.DeleteAsync(group, "k", expectedVersion: created.Version));
        await Replicas.DeleteAsync(group, "k", expectedVersion: updated.Version);
        Assert.False((await Replicas.GetAsync(group, "k", ReadConsistency.Majority)).Found);

        // A deleted key "does not exist" again: expectedVersion 0 creates it.
        await Replicas.SetAsync(group, "k", Bytes("third"), expectedVersion: 0);
    }

    [Fact]
    public async Task After_a_new_epoch_the_old_primary_cannot_get_a_write_acknowledged_and_its_late_batches_are_refused()
    {
        var group = NewGroup("epoch");
        await Replicas.ConfigureAsync(group);
        var before = await Replicas.SetAsync(group, "k", Bytes("before"), WriteConsistency.All);
        var oldPrimary = Copy(group, 0);
        var backup = Copy(group, 1);
        var backupState = await backup.GetState();

        // What a failover does first: a majority of copies promise epoch 2.
        await Copy(group, 1).Promise(2);
        await Copy(group, 2).Promise(2);

        // The old primary (still believing in epoch 1) cannot get a majority for a late write.
        var late = await oldPrimary.Write(1, "k", Bytes("late"), WriteConsistency.Majority, null);
        Assert.NotEqual(ReplicaWriteStatus.Ok, late.Status);

        // A batch from epoch 1 reaching a backup that promised epoch 2 is refused, and changes nothing.
        var stale = await backup.Apply(1, backupState.High, [new ReplicaChange("k", Bytes("late"), backupState.High + 1, 1, false)], backupState.High + 1, true);
        Assert.Equal(ReplicaApplyStatus.StaleEpoch, stale.Status);
        Assert.Equal(2, stale.PromisedEpoch);
        Assert.Equal("before", Text((await backup.Read("k", null)).Value));

        // The group fails over on its next write: a higher epoch, and the write is acknowledged by a majority.
        var after = await Replicas.SetAsync(group, "k", Bytes("after"), WriteConsistency.Majority);
        Assert.True(after.Version > before.Version);
        var status = await Replicas.GetStatusAsync(group);
        Assert.True(status.Epoch >= 2, $"epoch {status.Epoch}");
        Assert.Equal("after", Text((await Replicas.GetAsync(group, "k", ReadConsistency.Majority)).Value));

        // Epoch 1 stays refused everywhere, also for the copy that was primary.
        var refused = await oldPrimary.Write(1, "k", Bytes("later still"), WriteConsistency.One, null);
        Assert.Equal(ReplicaWriteStatus.NotPrimary, refused.Status);
        Assert.Equal("after", Text((await Replicas.GetAsync(group, "k")).Value));
    }

    [Fact]
    public async Task The_change_feed_delivers_every_change_after_a_version_in_version_order_without_gaps()
    {
        var group = NewGroup("feed");
        await Replicas.ConfigureAsync(group);
        var early = new List<ReplicaWriteResult>();
        for (var i = 0; i < 50; i++)
        {
            early.Add(await Replicas.SetAsync(group, $"early-{i}", Bytes($"e{i}"), WriteConsistency.One));
        }

        var from = early[19].Version;
        using var stop = new CancellationTokenSource(Deadline);
        var seen = new List<ReplicaChange>();
        var expectedLast = 0L;
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Replicas.WatchAsync(group, from, stop.Token))
            {
                lock (seen)
                {
                    seen.Add(change);
                }

                var last = Volatile.Read(ref expectedLast);
                if (last != 0 && change.Version >= last)
                {
                    return;
                }
            }
        });

        // The catch-up part (versions after 'from') arrives first; it reads the latest write per key, so it is complete
        // here because those keys are not written again before it is read.
        await Eventually.UntilAsync(
            () =>
            {
                lock (seen)
                {
                    return Task.FromResult(seen.Count >= 30);
                }
            },
            Deadline,
            "the watcher caught up with the 30 changes after the start version");

        // Live writes: concurrent writers, then a delete.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await Replicas.SetAsync(group, $"live-{w}-{i}", Bytes($"l{w}.{i}"), WriteConsistency.Majority);
            }
        }));
        await Task.WhenAll(writers);
        var deleted = await Replicas.DeleteAsync(group, "early-49");
        Volatile.Write(ref expectedLast, deleted.Version);
        await watching.WaitAsync(Deadline);

        var versions = seen.Select(c => c.Version).ToList();
        Assert.Equal(Enumerable.Range((int)from + 1, (int)(deleted.Version - from)).Select(v => (long)v), versions);
        Assert.Equal(30 + 200 + 1, seen.Count);
        Assert.Equal("e20", Text(seen[0].Value));
        Assert.True(seen[^1].Deleted);
        Assert.Equal("early-49", seen[^1].Key);
        Assert.Equal(200, seen.Count(c => c.Key.StartsWith("live-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_primary_backup_group_publishes_changes_on_its_stream_only_while_someone_reads_the_feed()
    {
        var group = NewGroup("feed-lease");
        await Replicas.ConfigureAsync(group);
        var events = System.Threading.Channels.Channel.CreateUnbounded<ReplicaChangeBatch>();
        var stream = fixture.Client.GetStreamProvider(ProviderNames.Streams)
            .GetStream<ReplicaChangeBatch>(Orleans.Runtime.StreamId.Create(ReplicaFeedStream.Namespace, ReplicaFeedStream.Key(group)));
        var subscription = await stream.SubscribeAsync((batch, _) => events.Writer.WriteAsync(batch).AsTask());
        try
        {
            // Nobody has read the changes: the write is not sent to the stream.
            var unread = await Replicas.SetAsync(group, "a", Bytes("1"), WriteConsistency.All);
            using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.Reader.ReadAsync(quiet.Token).AsTask());
            }

            // A read of the changes (what every watcher does first) turns publishing on.
            var page = await fixture.Client.GetGrain<IReplicaGroupGrain>(group).ReadChanges(0, 10);
            Assert.Equal([unread.Version], page.Changes.Select(c => c.Version));
            var read = await Replicas.SetAsync(group, "b", Bytes("2"), WriteConsistency.All);
            using var deadline = new CancellationTokenSource(Deadline);
            var batch = await events.Reader.ReadAsync(deadline.Token);
            Assert.Equal([read.Version], batch.Changes.Select(c => c.Version));
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Bad_input_is_an_argument_exception_and_an_unknown_group_is_not_found()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.ConfigureAsync("bad name"));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.ConfigureAsync(NewGroup("r"), replicas: 8));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.ConfigureAsync(NewGroup("r"), replicas: 0));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.SetAsync("g", "k", new byte[ReplicaLimits.MaxValueBytes + 1]));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.SetAsync("g", "k", Bytes("v"), expectedVersion: -1));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.SetAsync("g", "k", Bytes("v"), (WriteConsistency)9));
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.GetAsync("g", "", ReadConsistency.Any));
        Assert.Throws<ArgumentOutOfRangeException>(() => Replicas.WatchAsync("g", -1));

        var unknown = NewGroup("unknown");
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.GetStatusAsync(unknown));
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.SetAsync(unknown, "k", Bytes("v")));
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.GetAsync(unknown, "k"));

        var group = NewGroup("fixed");
        await Replicas.ConfigureAsync(group, replicas: 3);
        Assert.Equal(3, (await Replicas.ConfigureAsync(group, replicas: 3)).Replicas);
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.ConfigureAsync(group, replicas: 5));
    }

    private IReplicaCopyGrain Copy(string group, int index) => fixture.Client.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(group, index));

    private static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
