using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Starts in-process test clusters on the Postgres profile; clusters with the same service id share grain state.</summary>
public static class PostgresProfileCluster
{
    /// <param name="connectionString">The test database.</param>
    /// <param name="silos">Silo count.</param>
    /// <param name="serviceId">Clusters with the same id share grain state.</param>
    /// <param name="configure">Extra configuration (e.g. another silo configurator), applied after the profile's.</param>
    public static async Task<TestCluster> StartAsync(string connectionString, short silos = 2, string serviceId = "orleanssync-tests", Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[PostgresProfileSiloConfigurator.ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresProfileSiloConfigurator>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        configure?.Invoke(builder);
        return await TestClusterDeployment.DeployAsync(builder);
    }
}
