using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansSync.Silo.Postgres;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>The migrator against a real PostgreSQL server, each test on its own fresh database.</summary>
public sealed class PostgresSchemaMigratorTests
{
    private static readonly string[] AllMigrationNames = PostgresSchemaMigrator.Migrations.Select(m => m.Name).ToArray();

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        var versions = PostgresSchemaMigrator.Migrations.Select(m => m.Version).ToArray();

        Assert.Equal(Enumerable.Range(1, versions.Length), versions);
        Assert.Equal(versions.Length, PostgresSchemaMigrator.LatestVersion);
        Assert.All(PostgresSchemaMigrator.Migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_RejectsMissingConnectionString(string? connectionString)
    {
        Assert.ThrowsAny<ArgumentException>(() => new PostgresSchemaMigrator(connectionString!, NullLogger<PostgresSchemaMigrator>.Instance));
    }

    [Fact]
    public void Constructor_RejectsMalformedConnectionString()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgresSchemaMigrator("Host=x;NoSuchKeyword=1", NullLogger<PostgresSchemaMigrator>.Instance));
        Assert.Equal("connectionString", ex.ParamName);
    }

    [Fact]
    public async Task MigrateAsync_OnEmptyDatabase_AppliesEveryMigrationInOrder_AndSecondRunAppliesNothing()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        var migrator = CreateMigrator(database);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(AllMigrationNames, first);
        Assert.Empty(second);
        Assert.Equal(AllMigrationNames, await ReadHistoryNamesAsync(database));
    }

    [Fact]
    public async Task MigrateAsync_FourConcurrentCallsOnFreshDatabase_ApplyEachMigrationExactlyOnce()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();

        // Separate migrator instances and connections, as four silos starting together would have.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CreateMigrator(database).MigrateAsync()));

        // One caller applied everything while the others waited for the advisory lock and found nothing to do.
        Assert.Single(results, applied => applied.Count > 0);
        Assert.Equal(AllMigrationNames, results.Single(applied => applied.Count > 0));
        Assert.Equal(3, results.Count(applied => applied.Count == 0));
        Assert.Equal(AllMigrationNames, await ReadHistoryNamesAsync(database));
    }

    [Fact]
    public async Task GetStateAsync_ReportsMissingSchemaWithoutCreatingIt_ThenCurrentAfterMigration()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        var migrator = CreateMigrator(database);

        var before = await migrator.GetStateAsync();

        Assert.False(before.IsPresent);
        Assert.False(before.IsCurrent);
        Assert.Equal(0, before.AppliedVersion);
        Assert.Equal(PostgresSchemaMigrator.LatestVersion, before.LatestVersion);
        Assert.Equal(AllMigrationNames, before.PendingMigrations);
        Assert.False(await TableExistsAsync(database, PostgresSchemaMigrator.HistoryTable), "GetStateAsync must not create anything");

        await migrator.MigrateAsync();
        var after = await migrator.GetStateAsync();

        Assert.True(after.IsPresent);
        Assert.True(after.IsCurrent);
        Assert.Equal(PostgresSchemaMigrator.LatestVersion, after.AppliedVersion);
        Assert.Empty(after.PendingMigrations);
        Assert.Empty(after.ModifiedMigrations);
    }

    [Fact]
    public async Task MigrateAsync_WhenAnAppliedMigrationsChecksumChanged_RefusesAndChangesNothing()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        var migrator = CreateMigrator(database);
        await migrator.MigrateAsync();
        var tampered = PostgresSchemaMigrator.Migrations[0];
        await ExecuteAsync(database, $"UPDATE {PostgresSchemaMigrator.HistoryTable} SET checksum = repeat('0', 64) WHERE id = {tampered.Version}");
        await ExecuteAsync(database, $"DELETE FROM {PostgresSchemaMigrator.HistoryTable} WHERE id = {PostgresSchemaMigrator.LatestVersion}");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync());
        var state = await migrator.GetStateAsync();

        Assert.Contains(tampered.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([tampered.Name], state.ModifiedMigrations);
        Assert.False(state.IsCurrent);
        Assert.DoesNotContain(
            PostgresSchemaMigrator.Migrations[^1].Name,
            await ReadHistoryNamesAsync(database)); // the pending migration was not applied either
    }

    [Fact]
    public async Task MigrateAsync_WithOnlyTheLastMigrationPending_AppliesJustThatOne_OverExistingObjects()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        var migrator = CreateMigrator(database);
        await migrator.MigrateAsync();

        // Forget the last migration but keep its tables and rows: re-running its script must be harmless.
        var last = PostgresSchemaMigrator.Migrations[^1];
        await ExecuteAsync(database, $"DELETE FROM {PostgresSchemaMigrator.HistoryTable} WHERE id = {last.Version}");
        var pending = await migrator.GetStateAsync();

        var applied = await migrator.MigrateAsync();

        Assert.Equal([last.Name], pending.PendingMigrations);
        Assert.Equal(PostgresSchemaMigrator.LatestVersion - 1, pending.AppliedVersion);
        Assert.Equal([last.Name], applied);
        Assert.True((await migrator.GetStateAsync()).IsCurrent);
    }

    [Fact]
    public async Task Migrations_ProvideEveryQueryKeyTheAdoNetProvidersRequire()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var stored = await ReadQueryKeysAsync(database);

        // The clustering and reminder providers refuse to start unless every key named by a property of their
        // internal DbStoredQueries class is present: read that list from the shipped assemblies, so an Orleans
        // upgrade that adds a key fails here rather than at silo start-up.
        var required = RequiredQueryKeys(typeof(Orleans.Runtime.MembershipService.AdoNetClusteringTable).Assembly)
            .Concat(RequiredQueryKeys(typeof(Orleans.Configuration.AdoNetReminderTableOptions).Assembly))
            .Concat(["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey"]) // AdoNetGrainStorage reads these three by name
            .ToArray();

        Assert.True(required.Length >= 19, $"expected the providers' key lists, found only {string.Join(", ", required)}");
        Assert.Empty(required.Except(stored));

        // Optional keys this schema provides as well (DeleteStateOnClear and the per-row silo clean-up).
        Assert.Contains("DeleteStorageKey", stored);
        Assert.Contains("CleanupDefunctSiloEntryKey", stored);
    }

    private static PostgresSchemaMigrator CreateMigrator(PostgresTestDatabase database) =>
        new(database.ConnectionString, NullLogger<PostgresSchemaMigrator>.Instance);

    private static IEnumerable<string> RequiredQueryKeys(Assembly providerAssembly)
    {
        var storedQueries = providerAssembly.GetTypes().Single(t => t.Name == "DbStoredQueries");
        return storedQueries
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);
    }

    private static async Task<List<string>> ReadHistoryNamesAsync(PostgresTestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT name FROM {PostgresSchemaMigrator.HistoryTable} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<HashSet<string>> ReadQueryKeysAsync(PostgresTestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();

        // Exactly the statement the providers run (unquoted, so PostgreSQL folds it to lower case).
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(reader.GetOrdinal("QueryKey")));
        }

        return keys;
    }

    private static async Task<bool> TableExistsAsync(PostgresTestDatabase database, string table)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(PostgresTestDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
