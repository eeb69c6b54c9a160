using System.Collections.Immutable;

namespace OrleansSync.Hashing;

/// <summary>One version of a ring of application nodes.</summary>
/// <param name="Ring">The ring name.</param>
/// <param name="Version">Increases by one with every change; 0 means the ring was never changed (it does not exist).</param>
/// <param name="Nodes">The nodes, ordered by id (ordinal).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Hashing.HashRingSnapshot")]
public sealed record HashRingSnapshot(
    [property: Id(0)] string Ring,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<HashRingNode> Nodes)
{
    /// <summary>Whether the ring was ever changed.</summary>
    public bool Exists => Version > 0;

    /// <summary>Equal when ring, version and nodes (in order) are equal.</summary>
    /// <param name="other">The other snapshot.</param>
    /// <returns>Whether the two snapshots are equal.</returns>
    public bool Equals(HashRingSnapshot? other) =>
        other is not null &&
        string.Equals(Ring, other.Ring, StringComparison.Ordinal) &&
        Version == other.Version &&
        Nodes.AsSpan().SequenceEqual(other.Nodes.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Ring), Version, Nodes.Length);
}
