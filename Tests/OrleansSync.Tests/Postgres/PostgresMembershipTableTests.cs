using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// The shipped ADO.NET membership table (<see cref="AdoNetClusteringTable"/>) driven directly against this schema's
/// statements, covering cases a healthy cluster rarely produces: stale table versions, duplicate inserts, suspicions,
/// defunct-silo clean-up. Each test uses its own cluster id in the class's migrated database.
/// </summary>
public sealed class PostgresMembershipTableTests(MigratedPostgresDatabaseFixture database) : IClassFixture<MigratedPostgresDatabaseFixture>
{
    // Whole milliseconds: the provider prints suspicion times with millisecond precision and PostgreSQL keeps microseconds.
    private static readonly DateTime Now = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    [Fact]
    public async Task InsertAndUpdate_SucceedOnlyWithTheCurrentTableVersion()
    {
        var (table, _) = await CreateTableAsync();
        var empty = await table.ReadAllAsync();
        var silo1 = Entry(11111, SiloStatus.Joining);
        var silo2 = Entry(11112, SiloStatus.Joining);

        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        Assert.True(await table.InsertRowAsync(silo1, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(silo2, empty.Version.Next())); // stale version
        var afterInsert = await table.ReadAllAsync();
        Assert.False(await table.InsertRowAsync(silo1, afterInsert.Version.Next())); // already there
        Assert.Equal(afterInsert.Version, (await table.ReadAllAsync()).Version); // a refused insert changes nothing

        var (stored, etag) = Assert.Single(afterInsert.Members);
        Assert.Equal(1, afterInsert.Version.Version);
        AssertSameEntry(silo1, stored);

        silo1.Status = SiloStatus.Active;
        silo1.AddOrUpdateSuspector(silo2.SiloAddress, Now.AddSeconds(-3), 10);
        Assert.True(await table.UpdateRowAsync(silo1, etag, afterInsert.Version.Next()));
        Assert.False(await table.UpdateRowAsync(silo1, etag, afterInsert.Version.Next())); // stale version
        Assert.False(await table.UpdateRowAsync(Entry(11113, SiloStatus.Active), etag, (await table.ReadAllAsync()).Version.Next())); // no such silo

        var afterUpdate = await table.ReadRowAsync(silo1.SiloAddress);
        Assert.Equal(2, afterUpdate.Version.Version);
        AssertSameEntry(silo1, Assert.Single(afterUpdate.Members).Item1);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyTheHeartbeat_AndReadRowFindsOnlyThatSilo()
    {
        var (table, _) = await CreateTableAsync();
        var silo1 = Entry(12111, SiloStatus.Active);
        var silo2 = Entry(12112, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo1, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(silo2, (await table.ReadAllAsync()).Version.Next()));
        var versionBefore = (await table.ReadAllAsync()).Version;

        silo1.IAmAliveTime = Now.AddSeconds(5);
        await table.UpdateIAmAliveAsync(silo1);

        var row = await table.ReadRowAsync(silo1.SiloAddress);
        Assert.Equal(versionBefore, row.Version); // heartbeats are not membership changes
        Assert.Equal(silo1.IAmAliveTime, Assert.Single(row.Members).Item1.IAmAliveTime);
        Assert.Equal(2, (await table.ReadAllAsync()).Members.Count);
        Assert.Empty((await table.ReadRowAsync(Entry(12113, SiloStatus.Active).SiloAddress)).Members);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyDeadSilosSilentSinceTheCutoff()
    {
        var (table, clusterId) = await CreateTableAsync();
        var alive = Entry(13111, SiloStatus.Active, age: TimeSpan.FromHours(2));
        var longDead = Entry(13112, SiloStatus.Dead, age: TimeSpan.FromHours(2));
        var recentlyDead = Entry(13113, SiloStatus.Dead, age: TimeSpan.FromMinutes(1));
        foreach (var entry in new[] { alive, longDead, recentlyDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1));

        var left = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal([alive.SiloAddress, recentlyDead.SiloAddress], left);

        await table.DeleteMembershipTableEntriesAsync(clusterId);
        Assert.Equal(0L, await CountRowsAsync("orleanssync_membership", clusterId));
        Assert.Equal(0L, await CountRowsAsync("orleanssync_membership_version", clusterId));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntriesKey_TheBulkVariantForOlderProviders_RemovesOnlyOldDeadSilos()
    {
        // Provider 10.4 prefers CleanupDefunctSiloEntryKey when present, so run the bulk statement the way older
        // providers do: its text from OrleansQuery, parameters typed as the provider types them.
        var (table, clusterId) = await CreateTableAsync();
        var alive = Entry(14111, SiloStatus.Active, age: TimeSpan.FromHours(2));
        var longDead = Entry(14112, SiloStatus.Dead, age: TimeSpan.FromHours(2));
        var recentlyDead = Entry(14113, SiloStatus.Dead, age: TimeSpan.FromMinutes(1));
        foreach (var entry in new[] { alive, longDead, recentlyDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntriesKey'", connection);
            var text = (string)(await query.ExecuteScalarAsync())!;
#pragma warning disable CA2100 // The statement under test comes from the schema's own query registry.
            await using var cleanup = new NpgsqlCommand(text, connection);
#pragma warning restore CA2100
            cleanup.Parameters.Add(new NpgsqlParameter("DeploymentId", System.Data.DbType.String) { Value = clusterId });
            cleanup.Parameters.Add(new NpgsqlParameter("IAmAliveTime", System.Data.DbType.DateTime) { Value = Now.AddHours(-1) });
            Assert.Equal(1, await cleanup.ExecuteNonQueryAsync());
        }

        var left = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal([alive.SiloAddress, recentlyDead.SiloAddress], left);
    }

    private async Task<(AdoNetClusteringTable Table, string ClusterId)> CreateTableAsync()
    {
        var clusterId = "membership-test-" + Guid.NewGuid().ToString("N")[..8];
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "membership-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgresClusterConfigurator.Invariant, ConnectionString = database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return (table, clusterId);
    }

    private static MembershipEntry Entry(int port, SiloStatus status, TimeSpan age = default) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = Now - age - TimeSpan.FromMinutes(1),
        IAmAliveTime = Now - age,
    };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(
            expected.SuspectTimes?.Select(s => (s.Item1, s.Item2)) ?? [],
            actual.SuspectTimes?.Select(s => (s.Item1, s.Item2)) ?? []);
    }

    private async Task<long> CountRowsAsync(string table, string clusterId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE deployment_id = @id", connection);
        command.Parameters.AddWithValue("id", clusterId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
