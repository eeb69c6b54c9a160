namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// Jump consistent hash (Lamping and Veach, 2014): no memory and near-perfect balance, but buckets are numbered
/// 0..n-1, so only the last bucket can leave without renumbering (and moving) the others.
/// </summary>
internal static class JumpConsistentHash
{
    public static int Bucket(ulong key, int buckets)
    {
        long bucket = -1;
        long next = 0;
        while (next < buckets)
        {
            bucket = next;
            key = unchecked((key * 2862933555777941757UL) + 1);
            next = (long)((bucket + 1) * ((double)(1L << 31) / ((key >> 33) + 1)));
        }

        return (int)bucket;
    }
}
