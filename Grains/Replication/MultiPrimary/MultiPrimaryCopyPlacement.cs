namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Places copy i of group g (grain key <c>{g}#{i}</c>) on the i-th silo of the hash ring's preference list for g over
/// the compatible silos (the ring <see cref="Hashing.ConsistentHashPlacement"/> uses), so a group's copies sit on
/// distinct silos while there are at least as many silos as copies; with fewer, copies wrap around.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansSync.Replication.MultiPrimary.MultiPrimaryCopyPlacement")]
public sealed class MultiPrimaryCopyPlacement : PlacementStrategy
{
    internal static MultiPrimaryCopyPlacement Singleton { get; } = new();
}
