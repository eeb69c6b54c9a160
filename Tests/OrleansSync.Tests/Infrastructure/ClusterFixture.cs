using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// One in-process 3-silo cluster on the embedded (memory) profile, shared by every test of a collection
/// (<see cref="ClusterCollection"/>). Silos use the same provider wiring as the real Silo host. Fixtures that need
/// other silo settings derive and override <see cref="ConfigureTestCluster"/>.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const short SiloCount = 3;

    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(SiloCount);
        builder.AddSiloBuilderConfigurator<LoadTolerantMembershipConfigurator>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        ConfigureTestCluster(builder);
        _cluster = await TestClusterDeployment.DeployAsync(builder);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Adds the silo providers; the default is the embedded profile exactly as the Silo host wires it.</summary>
    protected virtual void ConfigureTestCluster(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSiloBuilderConfigurator<MemoryProfileSiloConfigurator>();
    }
}
