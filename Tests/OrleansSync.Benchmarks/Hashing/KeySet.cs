using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>Deterministic key and node names shared by the benchmarks and the tables.</summary>
internal static class KeySet
{
    public static string[] Keys(int count) => Enumerable.Range(0, count).Select(i => $"user:{i}").ToArray();

    public static ulong[] Hashes(int count) => Keys(count).Select(StableKeyHash.Hash64).ToArray();

    public static string[] NodeIds(int count) => Enumerable.Range(0, count).Select(i => $"node-{i}").ToArray();
}
