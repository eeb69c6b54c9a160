using System.Collections.Concurrent;
using OrleansSync.Hashing;

namespace OrleansSync.Silo.Api.Rings;

/// <summary>The last built ring per ring name and version, so repeated owner lookups don't rebuild it.</summary>
internal static class RingLayoutCache
{
    private const int MaxRings = 1024;

    private static readonly ConcurrentDictionary<string, (long Version, ConsistentHashRing<string> Ring)> Rings = new(StringComparer.Ordinal);

    public static ConsistentHashRing<string> Get(HashRingSnapshot snapshot)
    {
        if (Rings.TryGetValue(snapshot.Ring, out var cached) && cached.Version == snapshot.Version)
        {
            return cached.Ring;
        }

        var ring = HashRingLayout.Build(snapshot);
        if (Rings.Count >= MaxRings)
        {
            Rings.Clear();
        }

        Rings.AddOrUpdate(
            snapshot.Ring,
            (snapshot.Version, ring),
            (_, old) => old.Version > snapshot.Version ? old : (snapshot.Version, ring));
        return ring;
    }
}
