using Orleans.TestingHost;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>The shared 3-silo cluster with a short anti-entropy interval (<see cref="MultiPrimaryTestSiloConfigurator"/>).</summary>
public sealed class MultiPrimaryClusterFixture : ClusterFixture
{
    protected override void ConfigureTestCluster(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<MultiPrimaryTestSiloConfigurator>();
    }
}
