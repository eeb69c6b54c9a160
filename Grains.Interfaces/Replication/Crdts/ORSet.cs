using System.Collections.Immutable;

namespace OrleansSync.Replication.Crdts;

/// <summary>
/// An observed-remove set of strings with add-wins semantics, in its tombstone-free form (Bieniusa et al., 2012): each
/// add tags the element with a unique <see cref="ORSetDot"/>; a remove drops the tags it has seen; a version vector
/// (<see cref="Seen"/>) records every tag a state has seen, so merge can tell "removed here" from "not yet seen here".
/// </summary>
/// <remarks>
/// Add-wins: a remove only drops the tags observed by the removing replica, so an add concurrent with a remove (its tag
/// unseen by the remover) survives the merge. Space: removed elements leave nothing behind; the version vector holds
/// one entry per replica id that ever added. Each replica id must be used by one writer only (a replica that lost its
/// state must come back under a new id, or it would reissue tags).
/// </remarks>
/// <param name="Entries">Element → its live tags (never empty).</param>
/// <param name="Seen">Replica id → the highest add counter of that replica this state has seen.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.Crdts.ORSet")]
public sealed record ORSet(
    [property: Id(0)] ImmutableDictionary<string, ImmutableHashSet<ORSetDot>> Entries,
    [property: Id(1)] ImmutableDictionary<string, long> Seen) : ICrdt<ORSet>
{
    /// <summary>The empty set with no history (bottom of the order).</summary>
    public static ORSet Empty { get; } = new(ImmutableDictionary<string, ImmutableHashSet<ORSetDot>>.Empty, ImmutableDictionary<string, long>.Empty);

    /// <summary>The elements, in ordinal order.</summary>
    public IReadOnlyList<string> Elements => Entries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="element"/> is in the set.</summary>
    public bool Contains(string element) => Entries.ContainsKey(element);

    /// <summary>Adds <paramref name="element"/> with a fresh tag of <paramref name="replica"/> (its older tags are superseded).</summary>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is null.</exception>
    public ORSet Add(string replica, string element)
    {
        ArgumentException.ThrowIfNullOrEmpty(replica);
        ArgumentNullException.ThrowIfNull(element);
        var dot = new ORSetDot(replica, Seen.GetValueOrDefault(replica) + 1);

        // The element's current tags are all seen by this state, so dropping them for the new one changes nothing for
        // other replicas but the size: they drop them on merge too, since the new tag keeps the element present.
        return new ORSet(Entries.SetItem(element, [dot]), Seen.SetItem(replica, dot.Counter));
    }

    /// <summary>Removes <paramref name="element"/>: drops the tags this state has seen. Adds not yet seen here survive a merge.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is null.</exception>
    public ORSet Remove(string element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return Entries.ContainsKey(element) ? this with { Entries = Entries.Remove(element) } : this;
    }

    /// <inheritdoc/>
    public ORSet Merge(ORSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var entries = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<ORSetDot>>();
        foreach (var element in Entries.Keys.Union(other.Entries.Keys))
        {
            var mine = Entries.GetValueOrDefault(element) ?? [];
            var theirs = other.Entries.GetValueOrDefault(element) ?? [];

            // A tag only one side holds survives unless the other side has seen it (and therefore removed it).
            var kept = mine.Intersect(theirs)
                .Union(mine.Where(d => !other.HasSeen(d)))
                .Union(theirs.Where(d => !HasSeen(d)));
            if (!kept.IsEmpty)
            {
                entries[element] = kept;
            }
        }

        var seen = Seen.ToBuilder();
        foreach (var (replica, counter) in other.Seen)
        {
            if (counter > seen.GetValueOrDefault(replica))
            {
                seen[replica] = counter;
            }
        }

        return new ORSet(entries.ToImmutable(), seen.ToImmutable());
    }

    /// <summary>
    /// Whether <paramref name="other"/> has seen every tag this state has seen, and holds none that this state has
    /// seen and removed.
    /// </summary>
    public bool IsLessOrEqual(ORSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (replica, counter) in Seen)
        {
            if (counter > other.Seen.GetValueOrDefault(replica))
            {
                return false;
            }
        }

        foreach (var (element, dots) in other.Entries)
        {
            var mine = Entries.GetValueOrDefault(element);
            foreach (var dot in dots)
            {
                if (HasSeen(dot) && (mine is null || !mine.Contains(dot)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Equal elements with equal tags, and equal version vectors.</summary>
    public bool Equals(ORSet? other)
    {
        if (other is null || Entries.Count != other.Entries.Count || Seen.Count != other.Seen.Count)
        {
            return false;
        }

        foreach (var (replica, counter) in Seen)
        {
            if (other.Seen.GetValueOrDefault(replica) != counter)
            {
                return false;
            }
        }

        foreach (var (element, dots) in Entries)
        {
            if (!other.Entries.TryGetValue(element, out var theirs) || !dots.SetEquals(theirs))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var element in Entries.Keys)
        {
            hash ^= StringComparer.Ordinal.GetHashCode(element);
        }

        return HashCode.Combine(Entries.Count, Seen.Count, hash);
    }

    private bool HasSeen(ORSetDot dot) => dot.Counter <= Seen.GetValueOrDefault(dot.Replica);
}
