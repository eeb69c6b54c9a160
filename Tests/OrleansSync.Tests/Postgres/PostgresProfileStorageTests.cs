using OrleansSync.Cluster;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>The Postgres profile's grain storage as OrleansSync wires it, against a real server.</summary>
public sealed class PostgresProfileStorageTests
{
    [Fact]
    public async Task Keys_that_look_like_numbers_or_differ_only_in_case_keep_separate_state_across_a_restart()
    {
        string[] keys = ["beef", "BEEF", "0beef", "00000000-0000-0000-0000-0000000000ef", "12", "lock:beef"];
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);

        await using (var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString))
        {
            foreach (var key in keys)
            {
                await cluster.Client.GetGrain<IProbeGrain>(key).Write($"value of {key}");
            }
        }

        // A new cluster reads every value from PostgreSQL, not from an activation's memory.
        await using var restarted = await PostgresProfileCluster.StartAsync(database.ConnectionString);
        foreach (var key in keys)
        {
            var info = await restarted.Client.GetGrain<IProbeGrain>(key).Describe();
            Assert.Equal($"value of {key}", info.Value);
            Assert.Equal(1, info.Writes);
        }
    }
}
