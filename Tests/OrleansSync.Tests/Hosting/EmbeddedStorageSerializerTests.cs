using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hosting;

/// <summary>The embedded profile's grain storage copies states with the Orleans binary serializer, not JSON.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EmbeddedStorageSerializerTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(ProviderNames.GrainStorage)]
    [InlineData(ProviderNames.PubSubStore)]
    public async Task Memory_storage_uses_the_orleans_serializer_and_state_round_trips_through_it(string provider)
    {
        var services = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider;
        var options = services.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(provider);
        Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);

        // A state written through that storage reads back whole, and a stale ETag is still refused.
        var storage = services.GetRequiredKeyedService<IGrainStorage>(provider);
        var grainId = GrainId.Create("serializer-test", Guid.NewGuid().ToString("N"));
        var written = new GrainState<LeaseState> { State = new LeaseState { LastToken = 41, Limit = 3 } };
        await storage.WriteStateAsync("serializer-test", grainId, written);
        var read = new GrainState<LeaseState> { State = new LeaseState() };
        await storage.ReadStateAsync("serializer-test", grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(41, read.State.LastToken);
        Assert.Equal(3, read.State.Limit);
        Assert.Equal(written.ETag, read.ETag);

        var stale = new GrainState<LeaseState> { State = new LeaseState { LastToken = 1 }, ETag = "stale" };
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync("serializer-test", grainId, stale));
    }
}
