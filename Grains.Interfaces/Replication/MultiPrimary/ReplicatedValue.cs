using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Everything a multi-primary copy holds under one key: an LWW register (Set/Get/Delete), a PN-counter and an OR-set.
/// The three are independent (a key's counter does not touch its register); null means never written. Merge is part by
/// part, so this product of CRDTs is itself a CRDT with the same laws.
/// </summary>
/// <param name="Register">The register, or null.</param>
/// <param name="Counter">The counter, or null.</param>
/// <param name="Set">The set, or null.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.ReplicatedValue")]
public sealed record ReplicatedValue(
    [property: Id(0)] LwwRegister? Register,
    [property: Id(1)] PNCounter? Counter,
    [property: Id(2)] ORSet? Set) : ICrdt<ReplicatedValue>
{
    /// <summary>Nothing written (bottom).</summary>
    public static ReplicatedValue Empty { get; } = new(null, null, null);

    /// <inheritdoc/>
    public ReplicatedValue Merge(ReplicatedValue other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ReplicatedValue(MergePart(Register, other.Register), MergePart(Counter, other.Counter), MergePart(Set, other.Set));
    }

    /// <inheritdoc/>
    public bool IsLessOrEqual(ReplicatedValue other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Below(Register, other.Register, LwwRegister.Empty) && Below(Counter, other.Counter, PNCounter.Empty) && Below(Set, other.Set, ORSet.Empty);
    }

    /// <summary>Part-wise equality; an absent part equals that part's empty state.</summary>
    public bool Equals(ReplicatedValue? other) =>
        other is not null
        && (Register ?? LwwRegister.Empty).Equals(other.Register ?? LwwRegister.Empty)
        && (Counter ?? PNCounter.Empty).Equals(other.Counter ?? PNCounter.Empty)
        && (Set ?? ORSet.Empty).Equals(other.Set ?? ORSet.Empty);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine((Register ?? LwwRegister.Empty).GetHashCode(), (Counter ?? PNCounter.Empty).GetHashCode(), (Set ?? ORSet.Empty).GetHashCode());

    private static T? MergePart<T>(T? left, T? right)
        where T : class, ICrdt<T> =>
        left is null ? right : right is null ? left : left.Merge(right);

    private static bool Below<T>(T? left, T? right, T empty)
        where T : class, ICrdt<T> =>
        (left ?? empty).IsLessOrEqual(right ?? empty);
}
