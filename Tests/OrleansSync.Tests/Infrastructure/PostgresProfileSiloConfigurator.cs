using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// Configures a test silo with the Postgres profile's providers exactly as the Silo host does
/// (grain storage, PubSubStore and reminders on PostgreSQL). TestCluster creates configurators by type,
/// so the connection string travels as a configuration value.
/// </summary>
public sealed class PostgresProfileSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "OrleansSyncTests:ProfileConnectionString";

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"TestCluster configuration lacks {ConnectionStringKey}.");
        siloBuilder.AddOrleansSyncProviders(new OrleansSyncOptions { Storage = StorageProfile.Postgres, ConnectionString = connectionString });
    }
}
