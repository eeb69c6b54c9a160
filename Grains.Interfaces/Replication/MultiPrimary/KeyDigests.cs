namespace OrleansSync.Replication.MultiPrimary;

/// <summary>Anti-entropy, second step: per-key digests of the keys in the buckets that differed.</summary>
/// <param name="Digests">Key → 64-bit digest of its state.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.KeyDigests")]
public sealed record KeyDigests(
    [property: Id(0)] IReadOnlyDictionary<string, ulong> Digests);
