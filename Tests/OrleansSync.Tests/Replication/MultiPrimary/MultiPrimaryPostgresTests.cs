using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>Multi-primary copies on the PostgreSQL profile: each copy's data is in its own rows and outlives the cluster.</summary>
public sealed class MultiPrimaryPostgresTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_copys_data_survives_a_full_cluster_restart_in_one_row_per_key()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var serviceId = "mp-" + Guid.NewGuid().ToString("N")[..8];
        CopyWriteResult last;

        await using (var first = await PostgresProfileCluster.StartAsync(database.ConnectionString, 2, serviceId))
        {
            var group = new CopyGroup(first.Client, "durable-mp");
            for (var n = 0; n < 10; n++)
            {
                await group[n % 3].Set("config", [(byte)n], group.All);
            }

            last = await group[2].Set("config", [42], group.All);
            await group[0].Increment("visits", 5, group.All);
            await group[1].Increment("visits", 3, group.All);
            await group[2].Decrement("visits", 1, group.All);
            await group[1].AddElements("members", ["ann", "bob"], group.All);
            await group[0].RemoveElements("members", ["bob"], group.All);
            await group.ConvergedAsync(Deadline, keys: 3);
            await first.StopAllSilosAsync();
        }

        // One row per (group, copy, key): eleven writes to "config" rewrote its three rows, never added any.
        Assert.Equal(9, await database.CountAsync("SELECT count(*) FROM orleanssync_crdt_replicas WHERE replica_group = 'durable-mp'"));

        await using var second = await PostgresProfileCluster.StartAsync(database.ConnectionString, 2, serviceId);
        var restarted = new CopyGroup(second.Client, "durable-mp");
        foreach (var copy in restarted.Copies)
        {
            var config = await copy.Get("config", restarted.Local);
            Assert.Equal([42], config.Value);
            Assert.Equal(last.Timestamp, config.Timestamp);
            Assert.Equal(7, (await copy.GetCounter("visits", restarted.Local)).Value);
            Assert.Equal(["ann"], (await copy.GetSet("members", restarted.Local)).Elements);
        }

        // Writes after the restart order after the ones before it, and keep counting from the stored totals.
        var after = await restarted[1].Set("config", [43], restarted.All);
        Assert.True(after.Timestamp > last.Timestamp);
        await restarted[0].Increment("visits", 1, restarted.All);
        Assert.Equal(8, (await restarted[2].GetCounter("visits", restarted.Local)).Value);
        await second.StopAllSilosAsync();
    }
}
