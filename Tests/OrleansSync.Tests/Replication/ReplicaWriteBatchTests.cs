using System.Globalization;
using System.Text;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// Concurrent writes of one client travel together (<see cref="IReplicaGroupGrain.WriteBatch"/>), yet each is handled and
/// answered exactly as it would be alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaWriteBatchTests(ClusterFixture fixture)
{
    private IReplicaService Replicas => new ReplicaService(fixture.Client);

    [Fact]
    public async Task Concurrent_writes_of_one_client_each_get_their_own_answer_and_land_with_their_versions()
    {
        var replicas = Replicas;
        var group = NewGroup("batched");
        await replicas.ConfigureAsync(group, replicas: 3);
        var current = await replicas.SetAsync(group, "guarded", Bytes("first"));
        var doomed = await replicas.SetAsync(group, "doomed", Bytes("soon gone"));

        // Issued together, so they share calls; one conditional write is stale, one creates a key, one deletes.
        var plain = Enumerable.Range(0, 60)
            .Select(i => replicas.SetAsync(group, $"k{i}", Bytes(i.ToString(CultureInfo.InvariantCulture)), i % 2 == 0 ? WriteConsistency.Majority : WriteConsistency.All))
            .ToList();
        var stale = replicas.SetAsync(group, "guarded", Bytes("lost"), expectedVersion: current.Version - 1);
        var created = replicas.SetAsync(group, "fresh", Bytes("new"), expectedVersion: 0);
        var deleted = replicas.DeleteAsync(group, "doomed", expectedVersion: doomed.Version);

        var results = await Task.WhenAll(plain);
        Assert.Equal(results.Length, results.Select(r => r.Version).Distinct().Count());
        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Acks >= (i % 2 == 0 ? 2 : 3), $"write {i} acknowledged by {results[i].Acks}");
        }

        var conflict = await Assert.ThrowsAsync<ReplicaVersionConflictException>(() => stale);
        Assert.Equal(current.Version, conflict.ActualVersion);
        var fresh = await created;
        var gone = await deleted;
        Assert.True(gone.Version > doomed.Version);

        for (var i = 0; i < results.Length; i++)
        {
            var read = await replicas.GetAsync(group, $"k{i}");
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), Text(read.Value));
            Assert.Equal(results[i].Version, read.Version);
        }

        Assert.Equal(fresh.Version, (await replicas.GetAsync(group, "fresh")).Version);
        var guarded = await replicas.GetAsync(group, "guarded");
        Assert.Equal("first", Text(guarded.Value));
        Assert.Equal(current.Version, guarded.Version);
        var removed = await replicas.GetAsync(group, "doomed");
        Assert.False(removed.Found);
        Assert.Equal(gone.Version, removed.Version);
    }

    [Fact]
    public async Task A_batch_answers_bad_writes_with_their_own_errors_and_still_writes_the_good_ones()
    {
        var group = NewGroup("mixed");
        await Replicas.ConfigureAsync(group, replicas: 3);
        var grain = fixture.Client.GetGrain<IReplicaGroupGrain>(group);

        var outcomes = await grain.WriteBatch(
        [
            new ReplicaWriteRequest("good", Bytes("1"), WriteConsistency.Majority, null),
            new ReplicaWriteRequest(string.Empty, Bytes("2"), WriteConsistency.Majority, null),
            new ReplicaWriteRequest("bad-consistency", Bytes("3"), (WriteConsistency)9, null),
            new ReplicaWriteRequest("stale", Bytes("4"), WriteConsistency.One, 5),
        ]);

        Assert.Equal(4, outcomes.Count);
        Assert.NotNull(outcomes[0].Result);
        Assert.Null(outcomes[0].Error);
        Assert.IsType<ArgumentException>(outcomes[1].Error, exactMatch: false);
        Assert.IsType<ArgumentException>(outcomes[2].Error, exactMatch: false);
        Assert.IsType<ReplicaVersionConflictException>(outcomes[3].Error);
        Assert.Equal(outcomes[0].Result!.Version, (await Replicas.GetAsync(group, "good")).Version);

        await Assert.ThrowsAsync<ArgumentException>(() => grain.WriteBatch([]));
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(
            () => fixture.Client.GetGrain<IReplicaGroupGrain>(NewGroup("unknown")).WriteBatch([new ReplicaWriteRequest("k", Bytes("v"), WriteConsistency.Majority, null)]));
    }

    [Fact]
    public async Task The_client_finds_a_way_in_at_every_silo_and_the_group_names_its_own()
    {
        var entries = new ReplicaWriteEntries(fixture.Client);
        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToList();
        var group = NewGroup("routed");
        await Replicas.ConfigureAsync(group, replicas: 3);
        var host = await fixture.Client.GetGrain<IReplicaGroupGrain>(group).GetHostSilo();

        Assert.Contains(host, silos);
        foreach (var silo in silos)
        {
            var entry = await entries.FindAsync(silo, CancellationToken.None);
            Assert.NotNull(entry);
            Assert.Equal(silo, await entry.GetSilo());
        }
    }

    [Fact]
    public async Task A_write_entering_at_any_silo_reaches_the_group_and_bad_input_is_refused()
    {
        var group = NewGroup("entered");
        await Replicas.ConfigureAsync(group, replicas: 3);
        var entries = new ReplicaWriteEntries(fixture.Client);
        var versions = new List<long>();
        foreach (var silo in fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress))
        {
            var entry = await entries.FindAsync(silo, CancellationToken.None);
            Assert.NotNull(entry);
            var outcomes = await entry.WriteBatch(group, [new ReplicaWriteRequest("k", Bytes(silo.ToString()), WriteConsistency.Majority, null)]);
            versions.Add(Assert.Single(outcomes).Result!.Version);
            Assert.Equal(silo.ToString(), Text((await Replicas.GetAsync(group, "k")).Value));
        }

        Assert.Equal(versions.Order(), versions);
        var any = fixture.Client.GetGrain<IReplicaWriteEntryGrain>(0);
        await Assert.ThrowsAsync<ArgumentException>(() => any.WriteBatch("", [new ReplicaWriteRequest("k", Bytes("v"), WriteConsistency.Majority, null)]));
        await Assert.ThrowsAsync<ArgumentException>(() => any.WriteBatch(group, []));
    }

    [Fact]
    public async Task An_entry_whose_primary_lost_its_role_lands_its_writes_through_the_group_and_the_old_epoch_stays_refused()
    {
        var group = NewGroup("retarget");
        await Replicas.ConfigureAsync(group, replicas: 3);
        var grain = fixture.Client.GetGrain<IReplicaGroupGrain>(group);
        var before = await grain.GetWriteTarget();
        Assert.NotNull(before);
        var entry = await new ReplicaWriteEntries(fixture.Client).FindAsync(await grain.GetHostSilo(), CancellationToken.None);
        Assert.NotNull(entry);
        var first = Assert.Single(await entry.WriteBatch(group, [Write("k", "1", WriteConsistency.Majority)])).Result;
        Assert.NotNull(first);

        // The primary copy loses its role, as after a restart of its activation; the entry still names it for its epoch.
        var oldPrimary = fixture.Client.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(group, before.Primary));
        await oldPrimary.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var outcomes = await entry.WriteBatch(group, [Write("k", "2", WriteConsistency.Majority), Write("j", "3", WriteConsistency.All)]);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.True(outcomes[0].Result!.Version > first.Version);
        Assert.True(outcomes[1].Result!.Acks >= 3);
        var after = await grain.GetWriteTarget();
        Assert.NotNull(after);
        Assert.True(after.Epoch > before.Epoch, $"epoch {after.Epoch} after the primary lost its role, {before.Epoch} before");

        // The next batch goes to the new target; the old epoch is refused and changes nothing.
        var third = Assert.Single(await entry.WriteBatch(group, [Write("k", "4", WriteConsistency.Majority)])).Result;
        Assert.NotNull(third);
        var stale = await fixture.Client.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(group, after.Primary))
            .WriteBatch(before.Epoch, [Write("k", "stale", WriteConsistency.Majority)]);
        Assert.Equal(ReplicaWriteStatus.NotPrimary, Assert.Single(stale).Status);
        var read = await Replicas.GetAsync(group, "k");
        Assert.Equal("4", Text(read.Value));
        Assert.Equal(third.Version, read.Version);
        Assert.Equal("3", Text((await Replicas.GetAsync(group, "j")).Value));
    }

    [Fact]
    public async Task A_multi_primary_group_names_no_write_target_and_an_unknown_group_is_not_found()
    {
        var group = NewGroup("mp-target");
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 3);
        Assert.Null(await fixture.Client.GetGrain<IReplicaGroupGrain>(group).GetWriteTarget());
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => fixture.Client.GetGrain<IReplicaGroupGrain>(NewGroup("unknown")).GetWriteTarget());
    }

    private static ReplicaWriteRequest Write(string key, string value, WriteConsistency write) => new(key, Bytes(value), write, null);

    private static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
