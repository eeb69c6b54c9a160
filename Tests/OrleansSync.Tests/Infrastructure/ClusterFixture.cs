using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// One in-process 3-silo cluster on the embedded (memory) profile, shared by every test in
/// <see cref="ClusterCollection"/>. Silos use the same provider wiring as the real Silo host.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const short SiloCount = 3;

    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(SiloCount);
        builder.AddSiloBuilderConfigurator<MemoryProfileSiloConfigurator>();
        builder.AddSiloBuilderConfigurator<LoadTolerantMembershipConfigurator>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
