using Npgsql;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>Grain state outlives the cluster that wrote it: a later cluster of the same service reads it back.</summary>
public sealed class PostgresRestartTests
{
    [Fact]
    public async Task GrainState_WrittenByOneCluster_IsReadByTheNextClusterOnTheSameDatabase()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var serviceId = "restart-test-" + Guid.NewGuid().ToString("N")[..8];
        var key = "survivor";

        string firstClusterId;
        string? etagBeforeRestart;
        await using (var first = await PostgresTestCluster.StartAsync(database.ConnectionString, 1, serviceId))
        {
            firstClusterId = first.Options.ClusterId;
            var grain = first.GrainFactory.GetGrain<IPgCounterGrain>(key);
            await grain.IncrementAsync();
            await grain.IncrementAsync();
            Assert.Equal(3, await grain.IncrementAsync());
            etagBeforeRestart = await grain.GetETagAsync();
            await first.StopAllSilosAsync();
        }

        // A silo that stops gracefully marks itself Dead in the membership table.
        Assert.Equal([(int)SiloStatus.Dead], await ReadStatusesAsync(database, firstClusterId));

        await using var second = await PostgresTestCluster.StartAsync(database.ConnectionString, 1, serviceId);
        var reactivated = second.GrainFactory.GetGrain<IPgCounterGrain>(key);

        Assert.NotEqual(firstClusterId, second.Options.ClusterId);
        Assert.Equal(3, await reactivated.GetValueAsync());
        Assert.Equal(etagBeforeRestart, await reactivated.GetETagAsync());
        Assert.Equal(4, await reactivated.IncrementAsync());
        await second.StopAllSilosAsync();
    }

    private static async Task<List<int>> ReadStatusesAsync(PostgresTestDatabase database, string clusterId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleanssync_membership WHERE deployment_id = @id", connection);
        command.Parameters.AddWithValue("id", clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<int>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}
