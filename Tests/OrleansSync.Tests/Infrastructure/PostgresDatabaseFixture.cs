using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansSync.Silo.Postgres;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// xunit fixture: a fresh, empty database <c>orleanssync_test_…</c> on <see cref="PostgresServer"/>, dropped when the
/// fixture is disposed. Derive and override <see cref="ApplyMigrations"/> (see <see cref="MigratedPostgresDatabaseFixture"/>)
/// for one that already holds the OrleansSync schema; use <see cref="CreateDatabaseAsync"/> for more databases.
/// </summary>
public class PostgresDatabaseFixture : IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    /// <summary>Gets the fixture database's connection string.</summary>
    public string ConnectionString => Database.ConnectionString;

    /// <summary>Gets the fixture database's name.</summary>
    public string DatabaseName => Database.Name;

    /// <summary>Gets a value indicating whether the fixture applies the OrleansSync migrations to its database.</summary>
    protected virtual bool ApplyMigrations => false;

    internal PostgresTestDatabase Database =>
        _database ?? throw new InvalidOperationException("The fixture database is created in InitializeAsync.");

    /// <summary>Creates another fresh database on the test server.</summary>
    /// <param name="applyMigrations">Whether to apply the OrleansSync migrations to it.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The database; dispose it to drop it.</returns>
    internal static async Task<PostgresTestDatabase> CreateDatabaseAsync(bool applyMigrations = false, CancellationToken cancellationToken = default)
    {
        // Random names let parallel test classes (and other engineers' runs on the same server) coexist.
        var name = "orleanssync_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = await PostgresServer.OpenMaintenanceConnectionAsync(cancellationToken))
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var database = new PostgresTestDatabase(name);
        if (applyMigrations)
        {
            try
            {
                await new PostgresSchemaMigrator(database.ConnectionString, NullLogger<PostgresSchemaMigrator>.Instance)
                    .MigrateAsync(cancellationToken);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }
        }

        return database;
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await CreateDatabaseAsync(ApplyMigrations);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
