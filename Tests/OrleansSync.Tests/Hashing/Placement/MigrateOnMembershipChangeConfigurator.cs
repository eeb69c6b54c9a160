using Orleans.TestingHost;
using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>Turns on <see cref="ConsistentHashPlacementOptions.MigrateOnMembershipChange"/>.</summary>
public sealed class MigrateOnMembershipChangeConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.Configure<ConsistentHashPlacementOptions>(o => o.MigrateOnMembershipChange = true);
}
