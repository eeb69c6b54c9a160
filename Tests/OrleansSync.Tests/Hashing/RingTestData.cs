using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

/// <summary>Keys and rings shared by the hashing tests, built once per test run (hashing 1,000,000 keys takes ~0.1 s).</summary>
internal static class RingTestData
{
    public const int KeyCount = 1_000_000;

    private static readonly Lazy<ulong[]> LazyKeyHashes = new(
        () => Enumerable.Range(0, KeyCount).Select(i => StableKeyHash.Hash64($"key-{i}")).ToArray());

    private static readonly Lazy<ConsistentHashRing<string>> LazyTenNodes = new(
        () => new ConsistentHashRing<string>().AddRange(NodeIds(10)));

    /// <summary>Stable hashes of "key-0" … "key-999999".</summary>
    public static ulong[] KeyHashes => LazyKeyHashes.Value;

    /// <summary>"node-0" … "node-9" at the default virtual node count.</summary>
    public static ConsistentHashRing<string> TenNodes => LazyTenNodes.Value;

    public static string[] NodeIds(int count) => Enumerable.Range(0, count).Select(i => $"node-{i}").ToArray();

    public static string[] Owners(ConsistentHashRing<string> ring, ulong[] keyHashes)
    {
        var owners = new string[keyHashes.Length];
        for (int i = 0; i < keyHashes.Length; i++)
        {
            owners[i] = ring.GetOwner(keyHashes[i]);
        }

        return owners;
    }

    public static Dictionary<string, long> Loads(IEnumerable<string> owners)
    {
        var loads = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string owner in owners)
        {
            loads[owner] = loads.GetValueOrDefault(owner) + 1;
        }

        return loads;
    }
}
