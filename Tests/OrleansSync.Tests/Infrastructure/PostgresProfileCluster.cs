using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Starts in-process test clusters on the Postgres profile; clusters with the same service id share grain state.</summary>
public static class PostgresProfileCluster
{
    public static async Task<TestCluster> StartAsync(string connectionString, short silos = 2, string serviceId = "orleanssync-tests")
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[PostgresProfileSiloConfigurator.ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresProfileSiloConfigurator>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        return await TestClusterDeployment.DeployAsync(builder);
    }
}
