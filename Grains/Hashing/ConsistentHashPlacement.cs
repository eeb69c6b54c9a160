namespace OrleansSync.Hashing;

/// <summary>
/// Places a grain on the owner of its grain id on a consistent hash ring of the compatible silos, so a silo
/// joining or leaving changes the home of only about 1/N of the grains (Orleans' <see cref="HashBasedPlacement"/>
/// is <c>hash % silos</c> and moves almost all of them).
/// </summary>
/// <remarks>
/// Silos are identified on the ring by their endpoint (host:port) without the generation, so a silo that restarts
/// at the same endpoint takes back exactly the grains it had. A placement hint in the request context (used by
/// grain migration) wins over the ring, as it does for Orleans' built-in strategies.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansSync.Hashing.ConsistentHashPlacement")]
public sealed class ConsistentHashPlacement : PlacementStrategy
{
    internal static ConsistentHashPlacement Singleton { get; } = new();
}
