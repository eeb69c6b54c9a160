namespace OrleansSync.Replication;

/// <summary>
/// Places copy <c>i</c> of group <c>g</c> (grain key <see cref="ReplicaCopyKey"/>) on the i-th silo of the hash ring's
/// preference list for <c>g</c> over the compatible silos, so the copies of a group land on distinct silos while the
/// cluster has at least as many silos as copies (with fewer, copies wrap around the list and share silos). A grain whose
/// key is a group name (the group grain) goes to the head of that list, with copy 0.
/// </summary>
/// <remarks>
/// Silos sit on the ring by endpoint, as for <see cref="Hashing.ConsistentHashPlacement"/>, so a silo restarted at the
/// same endpoint gets its copies back. Migration hints are ignored: a copy never moves by request.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansSync.Replication.ReplicaCopyPlacement")]
public sealed class ReplicaCopyPlacement : PlacementStrategy
{
    internal static ReplicaCopyPlacement Singleton { get; } = new();
}
