using Orleans.TestingHost;
using OrleansSync.Client.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// The shared 3-silo cluster with short queue leases (<see cref="QueueTestSiloConfigurator"/>), for the queue cluster
/// tests, and the client-side <see cref="IQueueService"/> on its client. Fixtures with other queue settings derive
/// and override <see cref="AddQueueSettings"/>.
/// </summary>
public class QueueClusterFixture : ClusterFixture
{
    public IQueueService Queues => new QueueService(Cluster.Client);

    protected override void ConfigureTestCluster(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Options.ConfigureFileLogging = false;
        AddQueueSettings(builder);
    }

    /// <summary>Adds the silo configurator: the embedded profile and the queue settings of the tests.</summary>
    protected virtual void AddQueueSettings(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<QueueTestSiloConfigurator>();
}
