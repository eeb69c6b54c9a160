using Orleans.Placement;

namespace OrleansSync.Tests.Postgres;

/// <summary>Implements <see cref="IPgSiloProbeGrain"/>; random placement spreads activations over the silos.</summary>
/// <param name="silo">The hosting silo.</param>
[RandomPlacement]
public sealed class PgSiloProbeGrain(ILocalSiloDetails silo) : Grain, IPgSiloProbeGrain
{
    /// <inheritdoc />
    public Task<string> GetSiloAddressAsync() => Task.FromResult(silo.SiloAddress.ToString());
}
