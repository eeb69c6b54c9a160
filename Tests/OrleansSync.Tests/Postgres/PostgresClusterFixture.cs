using Orleans.TestingHost;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// xunit fixture shared by a test class: a fresh migrated database and a two-silo TestCluster whose silos use it for
/// membership, grain storage and reminders.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private TestCluster? _cluster;

    /// <summary>Gets the number of silos the cluster starts with.</summary>
    public const short SiloCount = 2;

    /// <summary>Gets the running cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster starts in InitializeAsync.");

    /// <summary>Gets the service id of the cluster.</summary>
    public string ServiceId { get; } = "orleanssync-pg-tests-" + Guid.NewGuid().ToString("N")[..8];

    internal PostgresTestDatabase Database => _database ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        _cluster = await PostgresTestCluster.StartAsync(_database.ConnectionString, SiloCount, ServiceId);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
