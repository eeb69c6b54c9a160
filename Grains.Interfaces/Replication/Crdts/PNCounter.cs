using System.Collections.Immutable;

namespace OrleansSync.Replication.Crdts;

/// <summary>
/// A counter that can go up and down: per replica, a grow-only total of increments and one of decrements. The value is
/// the sum of increments minus the sum of decrements; merge takes each replica's larger totals.
/// </summary>
/// <remarks>
/// Each replica id must be used by one writer only (a replica that lost its state must come back under a new id, or
/// its new increments would hide under its old totals). The map grows by one entry per replica id that ever wrote.
/// </remarks>
/// <param name="Increments">Replica id → total it added (≥ 0).</param>
/// <param name="Decrements">Replica id → total it subtracted (≥ 0).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.Crdts.PNCounter")]
public sealed record PNCounter(
    [property: Id(0)] ImmutableDictionary<string, long> Increments,
    [property: Id(1)] ImmutableDictionary<string, long> Decrements) : ICrdt<PNCounter>
{
    /// <summary>The counter at zero with no history (bottom of the order).</summary>
    public static PNCounter Empty { get; } = new(ImmutableDictionary<string, long>.Empty, ImmutableDictionary<string, long>.Empty);

    /// <summary>Sum of increments minus sum of decrements.</summary>
    /// <exception cref="OverflowException">The value does not fit in a <see cref="long"/>.</exception>
    public long Value
    {
        get
        {
            Int128 sum = 0;
            foreach (var total in Increments.Values)
            {
                sum += total;
            }

            foreach (var total in Decrements.Values)
            {
                sum -= total;
            }

            return checked((long)sum);
        }
    }

    /// <summary>Adds <paramref name="amount"/> on behalf of <paramref name="replica"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive.</exception>
    /// <exception cref="OverflowException">The replica's total would exceed <see cref="long.MaxValue"/>.</exception>
    public PNCounter Increment(string replica, long amount) => this with { Increments = Add(Increments, replica, amount) };

    /// <summary>Subtracts <paramref name="amount"/> on behalf of <paramref name="replica"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive.</exception>
    /// <exception cref="OverflowException">The replica's total would exceed <see cref="long.MaxValue"/>.</exception>
    public PNCounter Decrement(string replica, long amount) => this with { Decrements = Add(Decrements, replica, amount) };

    /// <inheritdoc/>
    public PNCounter Merge(PNCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PNCounter(Max(Increments, other.Increments), Max(Decrements, other.Decrements));
    }

    /// <inheritdoc/>
    public bool IsLessOrEqual(PNCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Below(Increments, other.Increments) && Below(Decrements, other.Decrements);
    }

    /// <summary>Equal per-replica totals (a missing entry equals 0).</summary>
    public bool Equals(PNCounter? other) =>
        other is not null && Below(Increments, other.Increments) && Below(other.Increments, Increments)
        && Below(Decrements, other.Decrements) && Below(other.Decrements, Decrements);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Order-independent, and blind to zero entries, as equality is.
        long hash = 0;
        foreach (var (replica, total) in Increments.Concat(Decrements))
        {
            hash ^= total == 0 ? 0 : HashCode.Combine(replica, total);
        }

        return hash.GetHashCode();
    }

    private static ImmutableDictionary<string, long> Add(ImmutableDictionary<string, long> totals, string replica, long amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(replica);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return totals.SetItem(replica, checked(totals.GetValueOrDefault(replica) + amount));
    }

    private static ImmutableDictionary<string, long> Max(ImmutableDictionary<string, long> left, ImmutableDictionary<string, long> right)
    {
        var merged = left.ToBuilder();
        foreach (var (replica, total) in right)
        {
            if (total > merged.GetValueOrDefault(replica))
            {
                merged[replica] = total;
            }
        }

        return merged.ToImmutable();
    }

    private static bool Below(ImmutableDictionary<string, long> left, ImmutableDictionary<string, long> right)
    {
        foreach (var (replica, total) in left)
        {
            if (total > right.GetValueOrDefault(replica))
            {
                return false;
            }
        }

        return true;
    }
}
