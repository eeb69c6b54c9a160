using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// Maglev hashing (Eisenbud et al., NSDI 2016): each node fills slots of a prime-sized table in its own
/// permutation order, taking turns, so a lookup is one table read. Balance is near perfect; a membership change
/// moves slightly more than the ideal share because refilling perturbs some slots of surviving nodes.
/// </summary>
internal sealed class MaglevHash
{
    private readonly int[] _table;

    public MaglevHash(IReadOnlyList<string> nodeIds)
    {
        // The paper sizes the table at a prime well above 100 × nodes so no node's share differs by more than ~1%.
        int size = NextPrime(Math.Max(65_537, nodeIds.Count * 100));
        var offsets = new ulong[nodeIds.Count];
        var skips = new ulong[nodeIds.Count];
        for (int i = 0; i < nodeIds.Count; i++)
        {
            ulong hash = StableKeyHash.Hash64(nodeIds[i]);
            offsets[i] = hash % (ulong)size;
            skips[i] = (Mix64.Mix(hash) % (ulong)(size - 1)) + 1;
        }

        _table = new int[size];
        Array.Fill(_table, -1);
        var next = new ulong[nodeIds.Count];
        int filled = 0;
        while (filled < size)
        {
            for (int i = 0; i < nodeIds.Count && filled < size; i++)
            {
                ulong slot;
                do
                {
                    slot = (offsets[i] + (next[i]++ * skips[i])) % (ulong)size;
                }
                while (_table[slot] >= 0);

                _table[slot] = i;
                filled++;
            }
        }
    }

    public int TableSize => _table.Length;

    public int Owner(ulong keyHash) => _table[keyHash % (ulong)_table.Length];

    private static int NextPrime(int candidate)
    {
        while (!IsPrime(candidate))
        {
            candidate++;
        }

        return candidate;
    }

    private static bool IsPrime(int value)
    {
        if (value < 2)
        {
            return false;
        }

        for (int divisor = 2; (long)divisor * divisor <= value; divisor++)
        {
            if (value % divisor == 0)
            {
                return false;
            }
        }

        return true;
    }
}
