using System.Text;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>A multi-primary group reached through the generic replica-group API (<see cref="IReplicaService"/>) on the shared 3-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaMultiPrimaryGroupTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IReplicaService Replicas => new ReplicaService(fixture.Client);

    [Fact]
    public async Task Every_copy_is_a_primary_on_its_own_silo_and_status_reports_the_mode()
    {
        var group = NewGroup("mp-status");
        var status = await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);

        Assert.Equal(ReplicationMode.MultiPrimary, status.Mode);
        Assert.Equal(3, status.Replicas);
        Assert.True(status.DistinctSilos);
        Assert.Equal(3, status.Copies.Select(c => c.Silo).Distinct().Count());
        Assert.All(status.Copies, c => Assert.Equal(ReplicaRole.Primary, c.Role));

        // Configuring again with the same mode and count is a no-op; another mode is refused.
        Assert.Equal(ReplicationMode.MultiPrimary, (await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3)).Mode);
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.ConfigureAsync(group, ReplicationMode.PrimaryBackup, replicas: 3));
    }

    [Fact]
    public async Task Writes_at_all_reach_every_copy_later_writes_get_larger_versions_and_a_delete_hides_the_key()
    {
        var group = NewGroup("mp-rw");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);

        var first = await Replicas.SetAsync(group, "k", Bytes("one"), WriteConsistency.All);
        Assert.Equal(3, first.Acks);
        var second = await Replicas.SetAsync(group, "k", Bytes("two"), WriteConsistency.Majority);
        Assert.True(second.Acks >= 2);
        Assert.True(second.Version > first.Version);

        foreach (var read in new[] { ReadConsistency.Primary, ReadConsistency.Majority })
        {
            var got = await Replicas.GetAsync(group, "k", read);
            Assert.True(got.Found);
            Assert.Equal("two", Encoding.UTF8.GetString(got.Value!));
            Assert.Equal(second.Version, got.Version);
        }

        // Every copy holds the acknowledged state on its own (an "any" read asks one copy): pushes and anti-entropy converge them.
        for (var i = 0; i < 3; i++)
        {
            var copy = fixture.Client.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, i));
            await Eventually.UntilAsync(async () => (await copy.Get("k", new MultiPrimaryRead(3, 1))).Value is { } v && Encoding.UTF8.GetString(v) == "two", Deadline, $"copy {i} holds the acknowledged value");
        }

        var deleted = await Replicas.DeleteAsync(group, "k", WriteConsistency.All);
        Assert.True(deleted.Version > second.Version);
        var gone = await Replicas.GetAsync(group, "k", ReadConsistency.Majority);
        Assert.False(gone.Found);
        Assert.Equal(deleted.Version, gone.Version);
    }

    [Fact]
    public async Task Concurrent_writes_to_one_key_through_the_group_converge_to_the_highest_version_on_every_copy()
    {
        var group = NewGroup("mp-race");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Replicas.SetAsync(group, "hot", Bytes($"w{i}"), WriteConsistency.One)));
        var highest = results.Max(r => r.Version);

        // All copies end up holding one and the same write, and it is one of the writes with the highest version
        // (versions leave out the clock's node id, which only breaks exact ties).
        var copies = Enumerable.Range(0, 3).Select(i => fixture.Client.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, i))).ToList();
        var values = await Eventually.UntilAsync(
            async () => await Task.WhenAll(copies.Select(async c => (await c.Get("hot", new MultiPrimaryRead(3, 1))).Value is { } v ? Encoding.UTF8.GetString(v) : null)),
            held => held.All(v => v is not null && v == held[0]),
            Deadline,
            "every copy holds the same write");
        var winner = int.Parse(values[0]!.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(highest, results[winner].Version);
        Assert.Equal(highest, (await Replicas.GetAsync(group, "hot", ReadConsistency.Majority)).Version);
    }

    [Fact]
    public async Task Conditional_writes_are_refused_with_a_clear_error_and_store_nothing()
    {
        var group = NewGroup("mp-refuse");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);

        var conditional = await Assert.ThrowsAsync<ArgumentException>(() => Replicas.SetAsync(group, "k", Bytes("v"), expectedVersion: 0));
        Assert.Equal("expectedVersion", conditional.ParamName ?? ParamFromMessage(conditional.Message));
        Assert.False((await Replicas.GetAsync(group, "k", ReadConsistency.Majority)).Found);
    }

    [Fact]
    public async Task Concurrent_counter_changes_on_all_copies_sum_exactly_and_sets_keep_adds_not_seen_by_a_remove()
    {
        var group = NewGroup("mp-crdt");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);

        // 4 writers × (25 × +3 and 10 × −1), each through a copy the group picks at random.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 35; i++)
            {
                var result = await Replicas.IncrementAsync(group, "hits", i < 25 ? 3 : -1, WriteConsistency.Majority);
                Assert.True(result.Acks >= 2);
            }
        })));
        Assert.Equal(4 * ((25 * 3) - 10), await Replicas.GetCounterAsync(group, "hits"));
        Assert.Equal(0, await Replicas.GetCounterAsync(group, "never", ReadConsistency.Any));

        await Replicas.AddToSetAsync(group, "team", ["ann", "bob"], WriteConsistency.All);
        await Replicas.RemoveFromSetAsync(group, "team", ["bob"], WriteConsistency.All);
        await Replicas.AddToSetAsync(group, "team", ["cy"], WriteConsistency.Majority);
        Assert.Equal(["ann", "cy"], await Replicas.GetSetAsync(group, "team"));

        // Counters and sets do not touch the key's value.
        Assert.False((await Replicas.GetAsync(group, "hits", ReadConsistency.Majority)).Found);
    }

    [Fact]
    public async Task Counter_and_set_calls_refuse_bad_input_and_primary_backup_groups()
    {
        var group = NewGroup("mp-crdt-bad");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Replicas.IncrementAsync(group, "c", 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Replicas.IncrementAsync(group, "c", long.MinValue));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Replicas.AddToSetAsync(group, "s", []));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Replicas.RemoveFromSetAsync(group, "s", [new string('x', 1025)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Replicas.GetCounterAsync(group, "bad key"));
        Assert.Equal(0, await Replicas.GetCounterAsync(group, "c"));

        var primaryBackup = NewGroup("pb-crdt");
        await Replicas.ConfigureAsync(primaryBackup, replicas: 3);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Replicas.IncrementAsync(primaryBackup, "c"));
        Assert.Contains("primary-backup", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Replicas.GetSetAsync(primaryBackup, "s"));
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.GetCounterAsync(NewGroup("unknown"), "c"));
    }

    private static string ParamFromMessage(string message) =>
        message.Contains("(Parameter 'expectedVersion')", StringComparison.Ordinal) ? "expectedVersion" : message;

    private static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
