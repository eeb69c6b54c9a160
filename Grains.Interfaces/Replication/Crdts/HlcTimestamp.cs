namespace OrleansSync.Replication.Crdts;

/// <summary>
/// A hybrid logical clock reading (<see cref="HybridLogicalClock"/>): physical Unix milliseconds, a logical counter
/// that orders events within one millisecond (or while the wall clock lags), and the issuing node's id as the final
/// tie-break, so distinct nodes never produce equal timestamps. <c>default</c> is the zero timestamp, below every
/// timestamp a clock issues.
/// </summary>
/// <param name="WallTimeMs">Physical part: Unix time in milliseconds (never decreases on one clock).</param>
/// <param name="Logical">Logical counter within <paramref name="WallTimeMs"/>, from 0.</param>
/// <param name="Node">Issuing node id (ordinal order breaks ties); null only in <c>default</c>, treated as empty.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.Crdts.HlcTimestamp")]
public readonly record struct HlcTimestamp(
    [property: Id(0)] long WallTimeMs,
    [property: Id(1)] int Logical,
    [property: Id(2)] string? Node) : IComparable<HlcTimestamp>
{
    /// <summary>The zero timestamp (<c>default</c>).</summary>
    public static HlcTimestamp Zero => default;

    /// <summary>Orders by <see cref="WallTimeMs"/>, then <see cref="Logical"/>, then <see cref="Node"/> (ordinal).</summary>
    public int CompareTo(HlcTimestamp other)
    {
        var byWall = WallTimeMs.CompareTo(other.WallTimeMs);
        if (byWall != 0)
        {
            return byWall;
        }

        var byLogical = Logical.CompareTo(other.Logical);
        return byLogical != 0 ? byLogical : string.CompareOrdinal(Node ?? string.Empty, other.Node ?? string.Empty);
    }

    /// <summary>Equal when <see cref="CompareTo"/> is 0 (a null node equals the empty node).</summary>
    public bool Equals(HlcTimestamp other) => CompareTo(other) == 0;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(WallTimeMs, Logical, Node ?? string.Empty);

    /// <inheritdoc/>
    public override string ToString() => $"{WallTimeMs}.{Logical}@{Node}";

    /// <summary>Whether <paramref name="left"/> is earlier.</summary>
    public static bool operator <(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is later.</summary>
    public static bool operator >(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is earlier or equal.</summary>
    public static bool operator <=(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is later or equal.</summary>
    public static bool operator >=(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) >= 0;
}
