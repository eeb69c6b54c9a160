using Orleans.TestingHost;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Configures a test silo with the embedded profile's providers, exactly as the Silo host does.</summary>
public sealed class MemoryProfileSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.AddOrleansSyncProviders(new OrleansSyncOptions { Storage = StorageProfile.Memory });
}
