using Orleans.Placement;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>Marks a grain class as placed with <see cref="MultiPrimaryCopyPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class MultiPrimaryCopyPlacementAttribute() : PlacementAttribute(MultiPrimaryCopyPlacement.Singleton);
