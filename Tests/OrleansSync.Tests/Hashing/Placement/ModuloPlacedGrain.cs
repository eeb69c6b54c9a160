using Orleans.Placement;

namespace OrleansSync.Tests.Hashing.Placement;

[HashBasedPlacement]
internal sealed class ModuloPlacedGrain(IGrainRuntime runtime) : Grain, IModuloPlacedGrain
{
    public Task<string> Where() => Task.FromResult(runtime.SiloAddress.Endpoint.ToString());

    public Task Migrate()
    {
        MigrateOnIdle();
        return Task.CompletedTask;
    }
}
