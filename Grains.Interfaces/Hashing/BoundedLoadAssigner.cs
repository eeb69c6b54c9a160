namespace OrleansSync.Hashing;

/// <summary>
/// Assigns keys to the nodes of a <see cref="ConsistentHashRing{TNode}"/> with bounded loads (Mirrokni, Thorup and
/// Zadimoghaddam, "Consistent Hashing with Bounded Loads", 2018): a key goes to the first node clockwise from its
/// position that is below its cap, so no node ever holds more than <c>ceil((1+ε) · mean)</c> of the keys assigned
/// through this assigner.
/// </summary>
/// <typeparam name="TNode">The ring's node type.</typeparam>
/// <remarks>
/// <para>
/// When the k-th key is assigned, a node of weight w may hold at most <c>ceil((1+ε) · k · w / totalWeight)</c> keys,
/// including the new one; with equal weights that is <c>ceil((1+ε) · k / n)</c>, the paper's bound. The caps add up
/// to more than k, so some node always has room and every assignment succeeds. A key that would overload its owner
/// spills to the next node clockwise, so keys still mostly stay put when the ring changes, but more of them move
/// than on the plain ring (the price of the bound; smaller ε moves more).
/// </para>
/// <para>
/// Each <see cref="Assign(string)"/> counts as one new assignment (a request, a connection, or a distinct key: the
/// assigner does not remember keys). <see cref="Release"/> ends one. The cap is checked when a key is assigned;
/// releases lower the mean, so after releases a node may sit above the current cap until loads even out.
/// The assigner is a mutable, single-threaded object: use one per thread or guard it with a lock. The ring it reads
/// is immutable; to follow a membership change, create a new assigner for the new ring.
/// </para>
/// </remarks>
public sealed class BoundedLoadAssigner<TNode> where TNode : notnull
{
    private readonly ConsistentHashRing<TNode> _ring;
    private readonly double[] _capPerAssignment; // (1+ε) · weight / totalWeight, per node index
    private readonly long[] _loads;

    /// <summary>Creates an assigner with no keys assigned.</summary>
    /// <param name="ring">The ring to assign over; must have at least one node.</param>
    /// <param name="epsilon">The allowed overload ε, greater than 0 (0.25 lets a node reach 1.25 × the mean); must be finite.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ring"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is 0 or less, NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public BoundedLoadAssigner(ConsistentHashRing<TNode> ring, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number greater than 0.");
        }

        if (ring.Count == 0)
        {
            throw new InvalidOperationException("The hash ring has no nodes: add at least one node before assigning keys.");
        }

        _ring = ring;
        Epsilon = epsilon;
        _loads = new long[ring.Count];
        _capPerAssignment = new double[ring.Count];
        for (int i = 0; i < ring.Count; i++)
        {
            _capPerAssignment[i] = (1 + epsilon) * ring.WeightAt(i) / ring.TotalWeight;
        }
    }

    /// <summary>The ring this assigner reads.</summary>
    public ConsistentHashRing<TNode> Ring => _ring;

    /// <summary>The allowed overload ε.</summary>
    public double Epsilon { get; }

    /// <summary>How many assignments are current: assigned minus released.</summary>
    public long TotalAssigned { get; private set; }

    /// <summary>Assigns <paramref name="key"/> to its owner, or to the next node clockwise below its cap.</summary>
    /// <param name="key">The key; hashed as UTF-8 with <see cref="StableKeyHash.Hash64(string)"/>.</param>
    /// <returns>The node the key was assigned to; its load has been counted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public TNode Assign(string key) => Assign(StableKeyHash.Hash64(key));

    /// <summary>Assigns the key whose hash (from <see cref="StableKeyHash"/>) is <paramref name="keyHash"/>.</summary>
    /// <param name="keyHash">The key's 64-bit hash.</param>
    /// <returns>The node the key was assigned to; its load has been counted.</returns>
    public TNode Assign(ulong keyHash)
    {
        long assignedAfter = TotalAssigned + 1;
        int pointIndex = _ring.FindPointIndex(keyHash);
        for (int step = 0; step < _ring.PointCount; step++)
        {
            int node = _ring.NodeIndexAt(pointIndex);
            if (_loads[node] < CapOf(node, assignedAfter))
            {
                return Take(node);
            }

            if (++pointIndex == _ring.PointCount)
            {
                pointIndex = 0;
            }
        }

        // Unreachable: the caps add up to (1+ε)·k > k - 1 current loads, so some node has room. Kept so a
        // floating-point surprise degrades to a slightly overloaded node instead of an exception.
        return Take(_ring.NodeIndexAt(_ring.FindPointIndex(keyHash)));
    }

    /// <summary>Ends one assignment to <paramref name="node"/> (e.g. a connection closed).</summary>
    /// <param name="node">A node of the ring with at least one current assignment.</param>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring.</exception>
    /// <exception cref="InvalidOperationException">The node has no current assignment.</exception>
    public void Release(TNode node)
    {
        int index = RequireIndex(node);
        if (_loads[index] == 0)
        {
            throw new InvalidOperationException("The node has no assignment to release.");
        }

        _loads[index]--;
        TotalAssigned--;
    }

    /// <summary>How many current assignments <paramref name="node"/> holds.</summary>
    /// <param name="node">A node of the ring.</param>
    /// <returns>Its load.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring.</exception>
    public long GetLoad(TNode node) => _loads[RequireIndex(node)];

    /// <summary>The most keys <paramref name="node"/> may hold once the next key is assigned: <c>ceil((1+ε) · (k+1) · w / totalWeight)</c>.</summary>
    /// <param name="node">A node of the ring.</param>
    /// <returns>Its cap for the next assignment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring.</exception>
    public long GetCapacity(TNode node) => CapOf(RequireIndex(node), TotalAssigned + 1);

    // The tiny subtraction keeps rounding error (e.g. 1.1 · 100 / 10 = 11.000000000000002) from raising the cap
    // by one above the exact ceil((1+ε)·k·w/W).
    private long CapOf(int node, long assigned) => (long)Math.Ceiling((_capPerAssignment[node] * assigned) - 1e-9);

    private TNode Take(int node)
    {
        _loads[node]++;
        TotalAssigned++;
        return _ring.NodeAt(node);
    }

    private int RequireIndex(TNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        int index = _ring.IndexOf(node);
        return index >= 0 ? index : throw new KeyNotFoundException("The node is not on this assigner's ring.");
    }
}
