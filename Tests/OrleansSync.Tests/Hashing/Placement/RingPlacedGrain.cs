using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing.Placement;

[ConsistentHashPlacement]
internal sealed class RingPlacedGrain(IGrainRuntime runtime) : Grain, IRingPlacedGrain
{
    public Task<string> Where() => Task.FromResult(runtime.SiloAddress.Endpoint.ToString());

    public Task Migrate()
    {
        MigrateOnIdle();
        return Task.CompletedTask;
    }
}
