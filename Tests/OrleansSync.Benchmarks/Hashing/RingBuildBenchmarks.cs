using BenchmarkDotNet.Attributes;
using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// What a membership change costs: building a ring of N nodes at once, and adding one node to an N-node ring
/// (the allocated column includes the temporary lists of a rebuild; the retained size per node is in the table mode).
/// </summary>
[MemoryDiagnoser]
public class RingBuildBenchmarks
{
    private string[] _nodeIds = [];
    private ConsistentHashRing<string> _ring = new();

    [Params(10, 100, 1000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _nodeIds = KeySet.NodeIds(Nodes);
        _ring = new ConsistentHashRing<string>().AddRange(_nodeIds);
    }

    [Benchmark]
    public ConsistentHashRing<string> BuildAll() => new ConsistentHashRing<string>().AddRange(_nodeIds);

    [Benchmark]
    public ConsistentHashRing<string> AddOne() => _ring.Add("node-new");
}
