using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// Puts TestCluster silos and the client on PostgreSQL: ADO.NET clustering, grain storage and reminders, all with
/// the Npgsql invariant and the connection string that <see cref="PostgresTestCluster"/> passes in the configuration.
/// </summary>
/// <remarks>TestCluster creates configurators by type, so the connection string travels as a configuration value.</remarks>
public sealed class PostgresClusterConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    /// <summary>The configuration key holding the database connection string.</summary>
    public const string ConnectionStringKey = "OrleansSyncTests:PostgresConnectionString";

    /// <summary>A second grain storage on the same tables that deletes the row on clear (DeleteStorageKey).</summary>
    public const string DeleteOnClearStorage = "pg-delete-on-clear";

    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var connectionString = ConnectionString(siloBuilder.Configuration);

        siloBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        siloBuilder.AddAdoNetGrainStorage(ProviderNames.GrainStorage, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        siloBuilder.AddAdoNetGrainStorage(DeleteOnClearStorage, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = true;
        });
        siloBuilder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        // Production keeps Orleans' one-minute floor; tests need ticks within a second or two.
        siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        ArgumentNullException.ThrowIfNull(clientBuilder);
        var connectionString = ConnectionString(configuration);

        // The client finds gateways through GatewaysQueryKey.
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    private static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionStringKey]
        ?? throw new InvalidOperationException($"TestCluster configuration lacks {ConnectionStringKey}.");
}
