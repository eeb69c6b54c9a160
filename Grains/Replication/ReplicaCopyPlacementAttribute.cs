using Orleans.Placement;

namespace OrleansSync.Replication;

/// <summary>Marks a copy grain class (string key <see cref="ReplicaCopyKey"/>) as placed with <see cref="ReplicaCopyPlacement"/>.</summary>
/// <inheritdoc cref="ReplicaCopyPlacement"/>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ReplicaCopyPlacementAttribute() : PlacementAttribute(ReplicaCopyPlacement.Singleton);
