namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>A [ConsistentHashPlacement] grain used only to check that placement has caught up with membership.</summary>
[Alias("OrleansSync.Tests.Hashing.Placement.IProbePlacedGrain")]
public interface IProbePlacedGrain : IPlacedGrain;
