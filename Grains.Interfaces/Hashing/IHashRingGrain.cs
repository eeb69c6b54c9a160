namespace OrleansSync.Hashing;

/// <summary>
/// A named consistent hash ring of application nodes (e.g. cache servers), keyed by the ring name
/// (a <see cref="Naming.ResourceName"/>). Every change bumps the version, is persisted, and is then published on
/// the ring's change stream (<see cref="HashRingStream"/>) carrying the new snapshot. Owners are computed by the
/// callers from a snapshot (<see cref="HashRingLayout.Build"/>), not by this grain.
/// </summary>
[Alias("OrleansSync.Hashing.IHashRingGrain")]
public interface IHashRingGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="node"/> with <paramref name="weight"/>, or changes its weight; a call that changes nothing keeps the version.</summary>
    /// <param name="node">The node id, a <see cref="Naming.ResourceName"/> (e.g. <c>cache-3:6379</c>).</param>
    /// <param name="weight">1 to <see cref="HashRingLayout.MaxWeight"/>; the node gets weight × <see cref="HashRingLayout.VirtualNodesPerWeight"/> virtual nodes.</param>
    /// <returns>The snapshot after the change.</returns>
    /// <exception cref="ArgumentException">The ring name or node id is not a valid name, the weight is outside 1 to <see cref="HashRingLayout.MaxWeight"/>, or the ring would exceed <see cref="HashRingLayout.MaxNodes"/> nodes or <see cref="HashRingLayout.MaxTotalWeight"/> total weight.</exception>
    [Alias("AddOrUpdateNode")]
    Task<HashRingSnapshot> AddOrUpdateNode(string node, int weight);

    /// <summary>Removes <paramref name="node"/>; removing a node that is not on the ring changes nothing (same version).</summary>
    /// <param name="node">The node id.</param>
    /// <returns>The snapshot after the change.</returns>
    /// <exception cref="ArgumentException">The ring name or node id is not a valid name.</exception>
    [Alias("RemoveNode")]
    Task<HashRingSnapshot> RemoveNode(string node);

    /// <summary>The current snapshot; version 0 (and no nodes) for a ring that was never changed.</summary>
    /// <exception cref="ArgumentException">The ring name is not a valid name.</exception>
    [Alias("GetSnapshot")]
    Task<HashRingSnapshot> GetSnapshot();
}
