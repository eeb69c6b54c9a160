using Orleans.TestingHost;

namespace OrleansSync.Tests.Queues;

/// <summary>A 3-silo cluster with publish flow control on (<see cref="QueuePublishHoldSiloConfigurator"/>).</summary>
public sealed class QueuePublishHoldFixture : QueueClusterFixture
{
    protected override void AddQueueSettings(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<QueuePublishHoldSiloConfigurator>();
}
