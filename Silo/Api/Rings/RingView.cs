using OrleansSync.Hashing;

namespace OrleansSync.Silo.Api.Rings;

/// <summary>The answer of the ring routes: <c>{"version","nodes":[{"id","weight","share"}]}</c>.</summary>
internal sealed record RingView(long Version, IReadOnlyList<RingNodeView> Nodes)
{
    public static RingView From(HashRingSnapshot snapshot, ConsistentHashRing<string> layout) =>
        new(snapshot.Version, [.. snapshot.Nodes.Select(n => new RingNodeView(n.Id, n.Weight, layout.GetShare(n.Id)))]);
}
