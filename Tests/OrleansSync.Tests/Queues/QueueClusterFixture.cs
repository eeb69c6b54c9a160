using Orleans.TestingHost;
using OrleansSync.Client.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// The shared 3-silo cluster with short queue leases (<see cref="QueueTestSiloConfigurator"/>), for the queue cluster
/// tests, and the client-side <see cref="IQueueService"/> on its client.
/// </summary>
public sealed class QueueClusterFixture : ClusterFixture
{
    public IQueueService Queues => new QueueService(Cluster.Client);

    protected override void ConfigureTestCluster(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<QueueTestSiloConfigurator>();
    }
}
