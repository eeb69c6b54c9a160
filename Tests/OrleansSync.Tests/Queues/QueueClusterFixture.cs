using Orleans.TestingHost;
using OrleansSync.Client.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// A 3-silo in-process cluster on the embedded profile with short queue leases (<see cref="QueueTestSiloConfigurator"/>),
/// shared by the queue cluster tests, and the client-side <see cref="IQueueService"/> on its client.
/// </summary>
public sealed class QueueClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public IQueueService Queues => new QueueService(Cluster.Client);

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<QueueTestSiloConfigurator>();
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
