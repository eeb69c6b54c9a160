using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>Tombstones past <see cref="MultiPrimaryOptions.TombstoneRetention"/> leave every copy and its PostgreSQL rows.</summary>
public sealed class MultiPrimaryTombstoneTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Old_tombstones_are_purged_from_every_copy_and_its_rows_and_a_late_old_delete_is_not_stored()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        await using var cluster = await PostgresProfileCluster.StartAsync(
            database.ConnectionString, 2, "mp-tomb-" + Guid.NewGuid().ToString("N")[..8], b => b.AddSiloBuilderConfigurator<ShortTombstoneRetentionSiloConfigurator>());
        var group = new CopyGroup(cluster.Client, "tombstones");

        await group[0].Set("gone", [1], group.All);
        await group[1].Set("both", [2], group.All);
        await group[2].Increment("both", 5, group.All);
        await group[0].Set("kept", [3], group.All);
        await group[1].Delete("gone", group.All);
        await group[2].Delete("both", group.All);

        // After the retention every copy drops "gone" entirely and only the register part of "both". "both" was deleted
        // after "gone", so its tombstone can outlive the retention a purge round later: wait for both to go.
        await Eventually.UntilAsync(
            async () => await Task.WhenAll(group.Copies.Select(async c => (Gone: await c.ReadEntry(group.Count, "gone"), Both: await c.ReadEntry(group.Count, "both")))),
            entries => entries.All(e => e.Gone is null && e.Both?.Register is null),
            Deadline,
            "every copy dropped the old tombstones of 'gone' and of the register of 'both'");
        await group.ConvergedAsync(Deadline, keys: 2);
        foreach (var copy in group.Copies)
        {
            var both = await copy.ReadEntry(group.Count, "both");
            Assert.NotNull(both);
            Assert.Null(both.Register);
            Assert.Equal(5, both.Counter!.Value);
            Assert.Equal([3], (await copy.Get("kept", group.Local)).Value);
        }

        await Eventually.UntilAsync(
            () => database.CountAsync("SELECT count(*) FROM orleanssync_crdt_replicas WHERE replica_group = 'tombstones' AND entry_key = 'gone'"),
            rows => rows == 0,
            Deadline,
            "the rows of 'gone' are deleted");
        Assert.Equal(6, await database.CountAsync("SELECT count(*) FROM orleanssync_crdt_replicas WHERE replica_group = 'tombstones'"));

        // A tombstone older than the retention arriving from a peer deletes nothing it is not newer than, and is not kept.
        var old = new HlcTimestamp(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds(), 0, "late-peer");
        await group[0].MergeEntries(group.Count, new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal)
        {
            ["late"] = new(new LwwRegister(old, null), null, null),
            ["kept"] = new(new LwwRegister(old, null), null, null),
        });
        Assert.Null(await group[0].ReadEntry(group.Count, "late"));
        Assert.Equal([3], (await group[0].Get("kept", group.Local)).Value);
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM orleanssync_crdt_replicas WHERE replica_group = 'tombstones' AND entry_key = 'late'"));
    }
}
