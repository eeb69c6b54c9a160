namespace OrleansSync.Hashing;

/// <summary>
/// The one rule that turns a <see cref="HashRingSnapshot"/> into a <see cref="ConsistentHashRing{TNode}"/>, so the
/// client, the HTTP API and any other process compute the same owners from the same snapshot.
/// </summary>
public static class HashRingLayout
{
    /// <summary>
    /// Virtual nodes per unit of weight: 100 (a weight-1 node's share varies by about 10%; give every node weight 10
    /// for about 3%). Together with <see cref="MaxTotalWeight"/> this keeps a ring at most 1,000,000 points (about 30 MB).
    /// </summary>
    public const int VirtualNodesPerWeight = 100;

    /// <summary>The largest weight of one node: 1,000.</summary>
    public const int MaxWeight = 1_000;

    /// <summary>The most nodes a ring may hold: 1,000.</summary>
    public const int MaxNodes = 1_000;

    /// <summary>The largest sum of a ring's weights: 10,000.</summary>
    public const int MaxTotalWeight = 10_000;

    /// <summary>Builds the ring of <paramref name="snapshot"/>; an empty ring when it has no nodes.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The ring of node ids.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public static ConsistentHashRing<string> Build(HashRingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var ring = new ConsistentHashRing<string>(VirtualNodesPerWeight);
        foreach (var group in snapshot.Nodes.GroupBy(n => n.Weight))
        {
            ring = ring.AddRange(group.Select(n => n.Id), group.Key);
        }

        return ring;
    }
}
