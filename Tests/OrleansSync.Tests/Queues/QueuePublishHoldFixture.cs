using Orleans.TestingHost;
using OrleansSync.Client.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>A 3-silo cluster with publish flow control on (<see cref="QueuePublishHoldSiloConfigurator"/>).</summary>
public sealed class QueuePublishHoldFixture : ClusterFixture
{
    public IQueueService Queues => new QueueService(Cluster.Client);

    protected override void ConfigureTestCluster(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<QueuePublishHoldSiloConfigurator>();
    }
}
