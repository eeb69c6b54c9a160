using Orleans.Placement;

namespace OrleansSync.Hashing;

/// <summary>Marks a grain class as placed with <see cref="ConsistentHashPlacement"/>.</summary>
/// <inheritdoc cref="ConsistentHashPlacement"/>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ConsistentHashPlacementAttribute() : PlacementAttribute(ConsistentHashPlacement.Singleton);
