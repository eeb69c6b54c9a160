using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// Rendezvous / highest-random-weight hashing (Thaler and Ravishankar, 1996): every node scores the key, the highest
/// score wins. Ideal movement and balance, any node can leave, but a lookup costs O(nodes).
/// </summary>
internal sealed class RendezvousHash
{
    private readonly ulong[] _nodeHashes;

    public RendezvousHash(IReadOnlyList<string> nodeIds)
    {
        _nodeHashes = nodeIds.Select(StableKeyHash.Hash64).ToArray();
    }

    /// <summary>Index (into the ids given to the constructor) of the node with the highest score for the key.</summary>
    public int Owner(ulong keyHash)
    {
        int best = 0;
        ulong bestScore = 0;
        var nodes = _nodeHashes;
        for (int i = 0; i < nodes.Length; i++)
        {
            ulong score = Mix64.Mix(keyHash ^ nodes[i]);
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }
}
