namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>Implemented by a grain placed with Orleans' [HashBasedPlacement] (hash % silos).</summary>
[Alias("OrleansSync.Tests.Hashing.Placement.IModuloPlacedGrain")]
public interface IModuloPlacedGrain : IPlacedGrain;
