using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Builds and deploys a test cluster, and disposes it when deployment fails so no silo outlives the test.</summary>
public static class TestClusterDeployment
{
    public static async Task<TestCluster> DeployAsync(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
