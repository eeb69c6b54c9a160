namespace OrleansSync.Replication.Crdts;

/// <summary>
/// A last-writer-wins register of bytes stamped with a <see cref="HlcTimestamp"/>. A delete is a write of a tombstone
/// (<see cref="Value"/> null with a timestamp), so a delete and a concurrent write resolve like two writes.
/// </summary>
/// <remarks>
/// Order (the merge keeps the greater): by <see cref="Timestamp"/>; on an equal timestamp (only possible for states not
/// produced by distinct clocks) a tombstone beats a value and a larger value (unsigned byte-wise, then longer) beats a
/// smaller one, so the order is total and merge is deterministic on every node. A key that was deleted keeps its
/// timestamp, which is what lets the delete win against older writes that arrive later; the register itself never
/// forgets it (multi-primary copies drop old tombstones after a retention period, outside this type).
/// The value array must not be modified after it is handed to a register.
/// </remarks>
/// <param name="Timestamp">When the value was written; <see cref="HlcTimestamp.Zero"/> for a register never written.</param>
/// <param name="Value">The bytes, or null for a tombstone (or the empty register).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.Crdts.LwwRegister")]
public sealed record LwwRegister(
    [property: Id(0)] HlcTimestamp Timestamp,
    [property: Id(1)] byte[]? Value) : ICrdt<LwwRegister>, IComparable<LwwRegister>
{
    /// <summary>The register never written (bottom of the order).</summary>
    public static LwwRegister Empty { get; } = new(HlcTimestamp.Zero, null);

    /// <summary>Whether the register holds a value (not empty, not deleted).</summary>
    public bool HasValue => Value is not null;

    /// <summary>Whether the last write was a delete.</summary>
    public bool IsDeleted => Value is null && Timestamp != HlcTimestamp.Zero;

    /// <summary>Writes <paramref name="value"/> at <paramref name="clock"/>'s next timestamp, merged with this state.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LwwRegister Set(byte[] value, HybridLogicalClock clock)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(clock);
        return Merge(new LwwRegister(clock.Now(), value));
    }

    /// <summary>Writes a tombstone at <paramref name="clock"/>'s next timestamp, merged with this state.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public LwwRegister Delete(HybridLogicalClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Merge(new LwwRegister(clock.Now(), null));
    }

    /// <inheritdoc/>
    public LwwRegister Merge(LwwRegister other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CompareTo(other) >= 0 ? this : other;
    }

    /// <inheritdoc/>
    public bool IsLessOrEqual(LwwRegister other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CompareTo(other) <= 0;
    }

    /// <summary>The register's total order (see remarks of <see cref="LwwRegister"/>).</summary>
    public int CompareTo(LwwRegister? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byTime = Timestamp.CompareTo(other.Timestamp);
        if (byTime != 0)
        {
            return byTime;
        }

        return (Value, other.Value) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => Value.AsSpan().SequenceCompareTo(other.Value),
        };
    }

    /// <summary>Equal timestamps and equal bytes.</summary>
    public bool Equals(LwwRegister? other) =>
        other is not null && Timestamp == other.Timestamp && (Value is null ? other.Value is null : other.Value is not null && Value.AsSpan().SequenceEqual(other.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Timestamp, Value?.Length ?? -1);
}
