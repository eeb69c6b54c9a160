namespace OrleansSync.Tests.Postgres;

/// <summary>A stateless test grain that says which silo runs it.</summary>
public interface IPgSiloProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Gets the address of the silo hosting this activation.</summary>
    /// <returns>The silo address as text.</returns>
    Task<string> GetSiloAddressAsync();
}
