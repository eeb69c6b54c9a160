using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing.Placement;

[ConsistentHashPlacement]
internal sealed class ProbePlacedGrain(IGrainRuntime runtime) : Grain, IProbePlacedGrain
{
    public Task<string> Where() => Task.FromResult(runtime.SiloAddress.Endpoint.ToString());

    public Task Migrate()
    {
        MigrateOnIdle();
        return Task.CompletedTask;
    }
}
