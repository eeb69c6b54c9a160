namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>Implemented by a grain placed with [ConsistentHashPlacement].</summary>
[Alias("OrleansSync.Tests.Hashing.Placement.IRingPlacedGrain")]
public interface IRingPlacedGrain : IPlacedGrain;
