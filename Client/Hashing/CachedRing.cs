using OrleansSync.Hashing;

namespace OrleansSync.Client.Hashing;

/// <summary>A ring snapshot and the ring built from it.</summary>
internal sealed record CachedRing(HashRingSnapshot Snapshot, ConsistentHashRing<string> Ring);
