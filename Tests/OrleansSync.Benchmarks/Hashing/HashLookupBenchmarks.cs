using BenchmarkDotNet.Attributes;
using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// Lookups per second for the ring beside jump, rendezvous, Maglev and modulo hashing. Each invocation looks up
/// 65,536 distinct keys so the ring is read at random places (not one cached path); the reported time is per lookup.
/// All algorithms except the "StringKey" rows start from a precomputed 64-bit key hash, so they compare the
/// lookup itself; the StringKey row adds UTF-8 encoding and XXH3, i.e. what <c>GetOwner(string)</c> costs.
/// Min and median sit beside the mean because the 2-core machine is shared: the minimum is the closest to an
/// uncontended core.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[OperationsPerSecond]
public class HashLookupBenchmarks
{
    private const int KeyCount = 65_536;

    private string[] _keys = [];
    private ulong[] _hashes = [];
    private ConsistentHashRing<string> _ring = new();
    private RendezvousHash _rendezvous = null!;
    private MaglevHash _maglev = null!;

    [Params(10, 100, 1000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = KeySet.Keys(KeyCount);
        _hashes = KeySet.Hashes(KeyCount);
        string[] nodeIds = KeySet.NodeIds(Nodes);
        _ring = new ConsistentHashRing<string>().AddRange(nodeIds);
        _rendezvous = new RendezvousHash(nodeIds);
        _maglev = new MaglevHash(nodeIds);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = KeyCount)]
    public int Jump()
    {
        int sum = 0;
        foreach (ulong hash in _hashes)
        {
            sum += JumpConsistentHash.Bucket(hash, Nodes);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Ring()
    {
        int sum = 0;
        foreach (ulong hash in _hashes)
        {
            sum += _ring.GetOwner(hash).Length;
        }

        return sum;
    }

    // Latency rather than throughput: each key is mixed with the previous answer, so the CPU cannot overlap one
    // lookup's cache misses with the next one's.
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Ring_DependentChain()
    {
        int sum = 0;
        foreach (ulong hash in _hashes)
        {
            sum += _ring.GetOwner(hash ^ (ulong)sum).Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Ring_StringKey()
    {
        int sum = 0;
        foreach (string key in _keys)
        {
            sum += _ring.GetOwner(key).Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public ulong KeyHashOnly_StringKey()
    {
        ulong sum = 0;
        foreach (string key in _keys)
        {
            sum += StableKeyHash.Hash64(key);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Rendezvous()
    {
        int sum = 0;
        foreach (ulong hash in _hashes)
        {
            sum += _rendezvous.Owner(hash);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Maglev()
    {
        int sum = 0;
        foreach (ulong hash in _hashes)
        {
            sum += _maglev.Owner(hash);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Modulo()
    {
        int sum = 0;
        ulong nodes = (ulong)Nodes;
        foreach (ulong hash in _hashes)
        {
            sum += (int)(hash % nodes);
        }

        return sum;
    }
}
