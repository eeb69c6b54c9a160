using Orleans.Configuration;
using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// The shared cluster lives through the whole run, next to CPU-heavy tests on two cores. Orleans' defaults
/// declare a silo dead after about 15 s without probe answers, which a starved test process can reach;
/// these settings allow a minute, so only a real failure removes a silo.
/// </summary>
public sealed class LoadTolerantMembershipConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(10);
            o.NumMissedProbesLimit = 6;
        });
}
