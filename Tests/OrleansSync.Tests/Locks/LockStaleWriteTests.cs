using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

/// <summary>
/// What a duplicate activation looks like to the lock grain: someone else wrote its state (a newer ETag). The grain's
/// next write must fail, the grain must deactivate and re-read, and the client's retry must get a token above anything
/// the other writer granted — never a token that was already handed out.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LockStaleWriteTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_write_over_a_newer_etag_fails_and_the_retry_grants_above_the_other_writers_tokens()
    {
        var locks = new LockService(Leases(fixture));
        var name = UniqueName("locks/stale-etag");
        await (await locks.AcquireAsync(name, TimeSpan.FromSeconds(10))).DisposeAsync();

        // The "duplicate activation": write the grain's state behind the active grain's back, with tokens up to 100.
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);
        var grainId = fixture.Client.GetGrain<ILockGrain>(name).GetGrainId();
        var state = new GrainState<LeaseState>(new LeaseState());

        // A release is written shortly after it is answered; the other writer here read storage after that write (one
        // that read before it would also see the released lease and wait for it to end: LockReleaseWriteTests).
        await Eventually.UntilAsync(
            async () =>
            {
                await storage.ReadStateAsync("lease", grainId, state);
                return state.State is { Holders.Count: 0 };
            },
            TimeSpan.FromSeconds(15),
            "the release is written");
        Assert.NotNull(state.State);
        Assert.Equal(1, state.State.LastToken);
        state.State.LastToken = 100;
        await storage.WriteStateAsync("lease", grainId, state);

        await using var handle = await locks.AcquireAsync(name, TimeSpan.FromSeconds(10));

        Assert.Equal(101, handle.FencingToken);
        Assert.Equal(101, (await locks.GetStatusAsync(name)).LastToken);
    }
}
