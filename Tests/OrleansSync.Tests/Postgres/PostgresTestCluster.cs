using Orleans.TestingHost;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>Builds and starts TestClusters whose silos keep membership, grain state and reminders in PostgreSQL.</summary>
internal static class PostgresTestCluster
{
    /// <summary>Starts a cluster on a database that holds the OrleansSync schema.</summary>
    /// <param name="connectionString">The database.</param>
    /// <param name="silos">How many silos to start.</param>
    /// <param name="serviceId">The service id: grain state and reminders belong to it, so a cluster started later
    /// with the same one sees them.</param>
    /// <returns>The started cluster, client connected; dispose it to stop it.</returns>
    public static async Task<TestCluster> StartAsync(string connectionString, short silos, string serviceId)
    {
        var builder = new TestClusterBuilder(silos);

        // Real membership rows in PostgreSQL instead of TestCluster's in-memory development membership.
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[PostgresClusterConfigurator.ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresClusterConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClusterConfigurator>();

        return await TestClusterDeployment.DeployAsync(builder);
    }
}
