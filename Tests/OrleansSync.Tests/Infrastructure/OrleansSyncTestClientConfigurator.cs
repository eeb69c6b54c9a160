using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Gives a test cluster's client the same stream provider the OrleansSync client registers.</summary>
public sealed class OrleansSyncTestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.AddMemoryStreams(ProviderNames.Streams);
}
