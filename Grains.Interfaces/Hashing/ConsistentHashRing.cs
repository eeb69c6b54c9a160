using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;

namespace OrleansSync.Hashing;

/// <summary>
/// An immutable consistent hash ring (Karger et al.) with virtual nodes and integer weights: it maps keys to nodes
/// so that adding or removing a node moves only about the share of keys that node gains or loses.
/// </summary>
/// <typeparam name="TNode">The node type. A node is identified by its node id (see the constructors); two nodes with the same id are the same node.</typeparam>
/// <remarks>
/// <para>
/// Each node is hashed onto the ring at <c>weight × <see cref="VirtualNodesPerWeight"/></c> points (virtual nodes);
/// a key belongs to the node of the first point at or clockwise after the key's hash. Keys and points are hashed
/// with <see cref="StableKeyHash"/> (XXH3 over UTF-8), so every process that builds a ring from the same nodes and
/// weights agrees on every owner, whatever order the nodes were added in.
/// </para>
/// <para>
/// The ring never changes: <see cref="Add"/>, <see cref="AddRange"/>, <see cref="Remove"/> and <see cref="WithWeight"/>
/// return a new ring and leave this one as it was. Lookups therefore never lock and are safe from any number of
/// threads; <see cref="GetOwner(ulong)"/> does not allocate and mostly reads a single table entry. Building a ring
/// costs time and memory proportional to its virtual nodes (about 30 bytes each), so build once per membership
/// change, not per lookup.
/// </para>
/// <para>For a bounded-load assignment (no node above <c>(1+ε)</c> times the mean), see <see cref="BoundedLoadAssigner{TNode}"/>.</para>
/// </remarks>
public sealed class ConsistentHashRing<TNode> where TNode : notnull
{
    /// <summary>
    /// The default number of virtual nodes per unit of weight: 1,000.
    /// </summary>
    /// <remarks>
    /// A node with v virtual nodes owns a share whose relative standard deviation is about 1/√v (10% at 100,
    /// 7.9% at 160, 3.2% at 1,000), and the largest of ten shares sits about 1.5 standard deviations above the
    /// mean (3 at the 99th percentile). Measured over 200 random sets of 10 node ids (docs/benchmarks.md): at 160
    /// virtual nodes (ketama's choice) max/mean stays at or under 1.10 for only 27% of the sets, at 500 for 88%,
    /// at 1,000 for 99%, and adding an 11th node moves at most 1.15 × the ideal share for 100% of the sets.
    /// Lookups cost the same at any count (a bucket index finds the point in O(1)); the price is memory, about
    /// 20 KB per unit of weight, and build time.
    /// </remarks>
    public const int DefaultVirtualNodesPerWeight = 1_000;

    /// <summary>The most virtual nodes one node may have (weight × <see cref="VirtualNodesPerWeight"/>): 1,048,576.</summary>
    public const int MaxVirtualNodesPerNode = 1 << 20;

    // The bucket table splits the 64-bit hash space into 2^bits equal buckets, 2 to 4 per point, capped so the
    // table stays at most 64 MB (beyond 4 million points a bucket just holds more of them).
    private const int MaxBucketBits = 24;

    private readonly Func<TNode, string> _nodeId;
    private readonly TNode[] _nodes;          // sorted by node id (ordinal), so the order is independent of history
    private readonly string[] _ids;
    private readonly int[] _weights;
    private readonly double[] _shares;
    private readonly Dictionary<string, int> _indexById;
    private readonly RingPoint[] _points;     // sorted by RingPoint.CompareTo
    // One entry per bucket. Most buckets hold no point: their entry is ~owner (negative), the node of the first
    // point after the bucket, so most lookups read one int and touch no point. A bucket holding points stores the
    // index of its first point, and the lookup scans from there (about one step).
    private readonly int[] _buckets;
    private readonly int _bucketShift;

    /// <summary>Creates an empty ring of string nodes, where each string is its own node id.</summary>
    /// <param name="virtualNodesPerWeight">Virtual nodes per unit of weight; default <see cref="DefaultVirtualNodesPerWeight"/>, valid 1 to <see cref="MaxVirtualNodesPerNode"/>.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="TNode"/> is not <see cref="string"/>: use the constructor that takes a node id selector.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="virtualNodesPerWeight"/> is outside 1 to <see cref="MaxVirtualNodesPerNode"/>.</exception>
    public ConsistentHashRing(int virtualNodesPerWeight = DefaultVirtualNodesPerWeight)
        : this(StringNodeId(), virtualNodesPerWeight)
    {
    }

    /// <summary>Creates an empty ring whose nodes are identified (and hashed onto the ring) by <paramref name="nodeId"/>.</summary>
    /// <param name="nodeId">
    /// Returns a node's id: a non-empty string that must be the same in every process (e.g. a host name or a silo
    /// address, never a hash code or a reference). Nodes with equal ids (ordinal) are the same node.
    /// </param>
    /// <param name="virtualNodesPerWeight">Virtual nodes per unit of weight; default <see cref="DefaultVirtualNodesPerWeight"/>, valid 1 to <see cref="MaxVirtualNodesPerNode"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="virtualNodesPerWeight"/> is outside 1 to <see cref="MaxVirtualNodesPerNode"/>.</exception>
    public ConsistentHashRing(Func<TNode, string> nodeId, int virtualNodesPerWeight = DefaultVirtualNodesPerWeight)
        : this(
            nodeId ?? throw new ArgumentNullException(nameof(nodeId)),
            ValidateVirtualNodesPerWeight(virtualNodesPerWeight),
            [],
            [],
            [],
            [])
    {
    }

    private ConsistentHashRing(
        Func<TNode, string> nodeId, int virtualNodesPerWeight, TNode[] nodes, string[] ids, int[] weights, RingPoint[] points)
    {
        _nodeId = nodeId;
        VirtualNodesPerWeight = virtualNodesPerWeight;
        _nodes = nodes;
        _ids = ids;
        _weights = weights;
        _points = points;
        _indexById = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            _indexById.Add(ids[i], i);
            TotalWeight += weights[i];
        }

        (_buckets, _bucketShift) = BuildBuckets(points);
        _shares = ComputeShares(points, nodes.Length);
        Nodes = ImmutableCollectionsMarshal.AsImmutableArray(nodes);
    }

    /// <summary>The nodes on the ring, ordered by node id (ordinal), whatever order they were added in.</summary>
    public ImmutableArray<TNode> Nodes { get; }

    /// <summary>How many nodes are on the ring.</summary>
    public int Count => _nodes.Length;

    /// <summary>The sum of the nodes' weights.</summary>
    public long TotalWeight { get; }

    /// <summary>Virtual nodes per unit of weight, fixed when the empty ring was created.</summary>
    public int VirtualNodesPerWeight { get; }

    /// <summary>How many points (virtual nodes of all nodes) the ring holds: the sum of weight × <see cref="VirtualNodesPerWeight"/>.</summary>
    public int VirtualNodeCount => _points.Length;

    internal int PointCount => _points.Length;

    /// <summary>Returns a ring that also holds <paramref name="node"/> with <paramref name="weight"/>; this ring is unchanged.</summary>
    /// <param name="node">The node to add.</param>
    /// <param name="weight">The node's weight, 1 or more (default 1); it gets weight × <see cref="VirtualNodesPerWeight"/> virtual nodes.</param>
    /// <returns>The new ring.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is below 1, or weight × <see cref="VirtualNodesPerWeight"/> exceeds <see cref="MaxVirtualNodesPerNode"/>.</exception>
    /// <exception cref="ArgumentException">A node with the same id is already on the ring (use <see cref="WithWeight"/> to change its weight), or the node id selector returned null or an empty string.</exception>
    public ConsistentHashRing<TNode> Add(TNode node, int weight = 1)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddRange([node], weight);
    }

    /// <summary>Returns a ring that also holds every node in <paramref name="nodes"/>, each with <paramref name="weight"/>; this ring is unchanged.</summary>
    /// <param name="nodes">The nodes to add; may be empty (then this ring is returned).</param>
    /// <param name="weight">Each node's weight, 1 or more (default 1).</param>
    /// <returns>The new ring. Adding many nodes at once costs one rebuild instead of one per node.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodes"/> or one of its nodes is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is below 1, or weight × <see cref="VirtualNodesPerWeight"/> exceeds <see cref="MaxVirtualNodesPerNode"/>.</exception>
    /// <exception cref="ArgumentException">A node's id is already on the ring or appears twice in <paramref name="nodes"/>, or the node id selector returned null or an empty string.</exception>
    public ConsistentHashRing<TNode> AddRange(IEnumerable<TNode> nodes, int weight = 1)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ValidateWeight(weight, VirtualNodesPerWeight);
        var entries = CurrentEntries();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            string id = IdOf(node, nameof(nodes));
            if (_indexById.ContainsKey(id) || !added.Add(id))
            {
                throw new ArgumentException(
                    $"Node '{id}' is already on the ring; remove it first or use WithWeight to change its weight.", nameof(nodes));
            }

            entries.Add((node, id, weight));
        }

        return added.Count == 0 ? this : Rebuild(entries);
    }

    /// <summary>Returns a ring without <paramref name="node"/>; this ring is unchanged.</summary>
    /// <param name="node">The node to remove (matched by node id).</param>
    /// <returns>The new ring, or this ring if the node was not on it. Only the removed node's keys change owner.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="ArgumentException">The node id selector returned null or an empty string.</exception>
    public ConsistentHashRing<TNode> Remove(TNode node)
    {
        string id = IdOf(node, nameof(node));
        if (!_indexById.TryGetValue(id, out int index))
        {
            return this;
        }

        var entries = CurrentEntries();
        entries.RemoveAt(index);
        return Rebuild(entries);
    }

    /// <summary>Returns a ring where <paramref name="node"/> has <paramref name="weight"/>; this ring is unchanged.</summary>
    /// <param name="node">A node already on the ring (matched by node id).</param>
    /// <param name="weight">The new weight, 1 or more.</param>
    /// <returns>
    /// The new ring (this ring if the weight is unchanged). A node's virtual nodes keep their places when its weight
    /// changes, so raising a weight only moves keys to that node and lowering it only moves keys away from it.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is below 1, or weight × <see cref="VirtualNodesPerWeight"/> exceeds <see cref="MaxVirtualNodesPerNode"/>.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring (use <see cref="Add"/>).</exception>
    /// <exception cref="ArgumentException">The node id selector returned null or an empty string.</exception>
    public ConsistentHashRing<TNode> WithWeight(TNode node, int weight)
    {
        ValidateWeight(weight, VirtualNodesPerWeight);
        int index = RequireIndex(node);
        if (_weights[index] == weight)
        {
            return this;
        }

        var entries = CurrentEntries();
        entries[index] = (_nodes[index], _ids[index], weight);
        return Rebuild(entries);
    }

    /// <summary>Whether a node with <paramref name="node"/>'s id is on the ring.</summary>
    /// <param name="node">The node to look for.</param>
    /// <returns>True if the ring holds a node with that id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="ArgumentException">The node id selector returned null or an empty string.</exception>
    public bool Contains(TNode node) => _indexById.ContainsKey(IdOf(node, nameof(node)));

    /// <summary>The weight of <paramref name="node"/>.</summary>
    /// <param name="node">A node on the ring.</param>
    /// <returns>Its weight (1 or more).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring.</exception>
    /// <exception cref="ArgumentException">The node id selector returned null or an empty string.</exception>
    public int GetWeight(TNode node) => _weights[RequireIndex(node)];

    /// <summary>The fraction of the hash space (0 to 1) that <paramref name="node"/> owns; the shares of all nodes add up to 1.</summary>
    /// <param name="node">A node on the ring.</param>
    /// <returns>The node's share; with uniformly hashed keys, the expected fraction of keys it owns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The node is not on the ring.</exception>
    /// <exception cref="ArgumentException">The node id selector returned null or an empty string.</exception>
    public double GetShare(TNode node) => _shares[RequireIndex(node)];

    /// <summary>The node that owns <paramref name="key"/>: the owner of the first virtual node at or clockwise after the key's <see cref="StableKeyHash"/>.</summary>
    /// <param name="key">The key; hashed as UTF-8 with <see cref="StableKeyHash.Hash64(string)"/>.</param>
    /// <returns>The owning node.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public TNode GetOwner(string key) => GetOwner(StableKeyHash.Hash64(key));

    /// <summary>The node that owns the key whose UTF-8 bytes are <paramref name="utf8Key"/>; same answer as <see cref="GetOwner(string)"/> for the same text.</summary>
    /// <param name="utf8Key">The key's bytes.</param>
    /// <returns>The owning node.</returns>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public TNode GetOwner(ReadOnlySpan<byte> utf8Key) => GetOwner(StableKeyHash.Hash64(utf8Key));

    /// <summary>The node that owns a key whose hash (from <see cref="StableKeyHash"/>) is <paramref name="keyHash"/>. Never allocates.</summary>
    /// <param name="keyHash">The key's 64-bit hash, e.g. <see cref="StableKeyHash.Hash64(string)"/> computed once and reused.</param>
    /// <returns>The owning node.</returns>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public TNode GetOwner(ulong keyHash)
    {
        ThrowIfEmpty();
        int entry = _buckets[(int)(keyHash >> _bucketShift)];
        return _nodes[entry < 0 ? ~entry : _points[ScanFrom(entry, keyHash)].NodeIndex];
    }

    /// <summary>
    /// The first <paramref name="n"/> distinct nodes met walking clockwise from <paramref name="key"/>'s position
    /// (for replicas): the owner first, then the next distinct nodes in ring order.
    /// </summary>
    /// <param name="key">The key; hashed as UTF-8 with <see cref="StableKeyHash.Hash64(string)"/>.</param>
    /// <param name="n">How many nodes, 1 or more; if larger than <see cref="Count"/>, all nodes are returned.</param>
    /// <returns>min(n, <see cref="Count"/>) distinct nodes, owner first; the same ring and key always give the same order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public IReadOnlyList<TNode> GetPreferenceList(string key, int n)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetPreferenceList(StableKeyHash.Hash64(key), n);
    }

    /// <summary>The preference list for a key whose hash (from <see cref="StableKeyHash"/>) is <paramref name="keyHash"/>.</summary>
    /// <param name="keyHash">The key's 64-bit hash.</param>
    /// <param name="n">How many nodes, 1 or more; if larger than <see cref="Count"/>, all nodes are returned.</param>
    /// <returns>min(n, <see cref="Count"/>) distinct nodes, owner first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public IReadOnlyList<TNode> GetPreferenceList(ulong keyHash, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ThrowIfEmpty();
        var result = new TNode[Math.Min(n, _nodes.Length)];
        WalkDistinctNodes(keyHash, result);
        return result;
    }

    /// <summary>Writes the preference list into <paramref name="destination"/> without allocating (for rings of up to 4,096 nodes).</summary>
    /// <param name="keyHash">The key's 64-bit hash.</param>
    /// <param name="destination">Receives up to its length distinct nodes, owner first; must not be empty.</param>
    /// <returns>How many nodes were written: min(destination length, <see cref="Count"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public int CopyPreferenceList(ulong keyHash, Span<TNode> destination)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("The destination must hold at least one node.", nameof(destination));
        }

        ThrowIfEmpty();
        return WalkDistinctNodes(keyHash, destination);
    }

    /// <summary>Index of the first point at or clockwise after <paramref name="hash"/>. The ring must not be empty.</summary>
    internal int FindPointIndex(ulong hash)
    {
        // In an empty bucket the answer is the first point of the next bucket that holds one (or point 0, past
        // the last bucket).
        var buckets = _buckets;
        int bucket = (int)(hash >> _bucketShift);
        int entry = buckets[bucket];
        while (entry < 0)
        {
            if (++bucket == buckets.Length)
            {
                return 0;
            }

            entry = buckets[bucket];
        }

        return ScanFrom(entry, hash);
    }

    internal int NodeIndexAt(int pointIndex) => _points[pointIndex].NodeIndex;

    internal TNode NodeAt(int nodeIndex) => _nodes[nodeIndex];

    internal int WeightAt(int nodeIndex) => _weights[nodeIndex];

    internal int IndexOf(TNode node) => _indexById.TryGetValue(IdOf(node, nameof(node)), out int index) ? index : -1;

    // The first point at or after hash, starting from a point at or before it. No end bound is needed: points are
    // sorted, so the scan stops at the first point of a later bucket at the latest, or wraps to point 0.
    private int ScanFrom(int index, ulong hash)
    {
        var points = _points;
        while (index < points.Length && points[index].Hash < hash)
        {
            index++;
        }

        return index == points.Length ? 0 : index;
    }

    private int WalkDistinctNodes(ulong hash, Span<TNode> destination)
    {
        int wanted = Math.Min(destination.Length, _nodes.Length);
        int pointIndex = FindPointIndex(hash);
        int words = (_nodes.Length + 63) >> 6;
        Span<ulong> seen = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        int found = 0;

        // Every node has at least one point, so one turn of the ring meets all of them: the loop ends.
        while (true)
        {
            int node = _points[pointIndex].NodeIndex;
            ulong bit = 1UL << (node & 63);
            if ((seen[node >> 6] & bit) == 0)
            {
                seen[node >> 6] |= bit;
                destination[found++] = _nodes[node];
                if (found == wanted)
                {
                    return found;
                }
            }

            if (++pointIndex == _points.Length)
            {
                pointIndex = 0;
            }
        }
    }

    private List<(TNode Node, string Id, int Weight)> CurrentEntries()
    {
        var entries = new List<(TNode Node, string Id, int Weight)>(_nodes.Length + 1);
        for (int i = 0; i < _nodes.Length; i++)
        {
            entries.Add((_nodes[i], _ids[i], _weights[i]));
        }

        return entries;
    }

    // Builds the ring for a new node set incrementally: points of nodes that stay keep their positions, new nodes
    // and raised weights add freshly hashed points, and the two sorted runs are merged in O(points).
    private ConsistentHashRing<TNode> Rebuild(List<(TNode Node, string Id, int Weight)> entries)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        int count = entries.Count;
        var nodes = new TNode[count];
        var ids = new string[count];
        var weights = new int[count];
        var oldToNew = new int[_nodes.Length];
        Array.Fill(oldToNew, -1);
        var fresh = new List<RingPoint>();
        for (int i = 0; i < count; i++)
        {
            (nodes[i], ids[i], weights[i]) = entries[i];
            int firstFresh = 0;
            if (_indexById.TryGetValue(ids[i], out int oldIndex))
            {
                oldToNew[oldIndex] = i;
                firstFresh = _weights[oldIndex] * VirtualNodesPerWeight;
            }

            AddPoints(fresh, i, ids[i], firstFresh, weights[i] * VirtualNodesPerWeight);
        }

        fresh.Sort();
        return new ConsistentHashRing<TNode>(_nodeId, VirtualNodesPerWeight, nodes, ids, weights, MergeKeptWithFresh(oldToNew, weights, fresh));
    }

    // One pass over the old points: drop those of removed nodes and lowered weights, renumber the rest, and merge
    // in the sorted fresh points. Node indices only shift by insertions and removals in id order, so the kept
    // points stay sorted.
    private RingPoint[] MergeKeptWithFresh(int[] oldToNew, int[] weights, List<RingPoint> freshPoints)
    {
        int keptCount = 0;
        foreach (var point in _points)
        {
            keptCount += Keeps(point, oldToNew, weights) ? 1 : 0;
        }

        ReadOnlySpan<RingPoint> fresh = CollectionsMarshal.AsSpan(freshPoints);
        var merged = new RingPoint[keptCount + fresh.Length];
        int f = 0, m = 0;
        foreach (var point in _points)
        {
            if (!Keeps(point, oldToNew, weights))
            {
                continue;
            }

            var kept = point with { NodeIndex = oldToNew[point.NodeIndex] };
            while (f < fresh.Length && fresh[f].CompareTo(kept) < 0)
            {
                merged[m++] = fresh[f++];
            }

            merged[m++] = kept;
        }

        fresh[f..].CopyTo(merged.AsSpan(m));
        return merged;
    }

    private bool Keeps(RingPoint point, int[] oldToNew, int[] weights)
    {
        int newIndex = oldToNew[point.NodeIndex];
        return newIndex >= 0 && point.VirtualIndex < weights[newIndex] * VirtualNodesPerWeight;
    }

    private static void AddPoints(List<RingPoint> points, int nodeIndex, string id, int fromVirtual, int toVirtual)
    {
        if (fromVirtual >= toVirtual)
        {
            return;
        }

        byte[] utf8Id = Encoding.UTF8.GetBytes(id);
        for (int v = fromVirtual; v < toVirtual; v++)
        {
            points.Add(new RingPoint(StableKeyHash.VirtualNodeHash(utf8Id, v), nodeIndex, v));
        }
    }

    private static (int[] Buckets, int Shift) BuildBuckets(RingPoint[] points)
    {
        if (points.Length == 0)
        {
            return ([0, 0], 63); // never read: lookups on an empty ring throw first
        }

        int bits = 1;
        while (bits < MaxBucketBits && (1L << bits) < 2L * points.Length)
        {
            bits++;
        }

        int shift = 64 - bits;
        var buckets = new int[1 << bits];
        int index = 0;
        for (int bucket = 0; bucket < buckets.Length; bucket++)
        {
            ulong bucketStart = (ulong)bucket << shift;
            while (index < points.Length && points[index].Hash < bucketStart)
            {
                index++;
            }

            // index is now the first point at or after the bucket's start; is it inside the bucket?
            bool lastBucket = bucket == buckets.Length - 1;
            bool holdsPoint = index < points.Length && (lastBucket || points[index].Hash < (ulong)(bucket + 1) << shift);
            buckets[bucket] = holdsPoint ? index : ~points[index < points.Length ? index : 0].NodeIndex;
        }

        return (buckets, shift);
    }

    // A point owns the arc from the previous point (exclusive) to itself (inclusive); the first point's arc wraps
    // around zero, which unsigned subtraction computes directly.
    private static double[] ComputeShares(RingPoint[] points, int nodeCount)
    {
        var shares = new double[nodeCount];
        if (points.Length == 1)
        {
            shares[points[0].NodeIndex] = 1.0;
            return shares;
        }

        // Arcs are summed exactly in 128 bits and divided once, so one node owning every point reports exactly 1.
        var arcs = new UInt128[nodeCount];
        for (int i = 0; i < points.Length; i++)
        {
            ulong previous = points[i == 0 ? points.Length - 1 : i - 1].Hash;
            arcs[points[i].NodeIndex] += unchecked(points[i].Hash - previous);
        }

        const double FullCircle = 18446744073709551616.0; // 2^64
        for (int n = 0; n < nodeCount; n++)
        {
            shares[n] = (double)arcs[n] / FullCircle;
        }

        return shares;
    }

    private int RequireIndex(TNode node)
    {
        string id = IdOf(node, nameof(node));
        return _indexById.TryGetValue(id, out int index)
            ? index
            : throw new KeyNotFoundException($"Node '{id}' is not on the ring.");
    }

    private string IdOf(TNode node, string parameterName)
    {
        if (node is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        string id = _nodeId(node);
        return string.IsNullOrEmpty(id)
            ? throw new ArgumentException("The node id selector returned null or an empty string; every node needs a non-empty, stable id.", parameterName)
            : id;
    }

    private void ThrowIfEmpty()
    {
        if (_nodes.Length == 0)
        {
            throw new InvalidOperationException("The hash ring has no nodes: add at least one node before looking up keys.");
        }
    }

    private static void ValidateWeight(int weight, int virtualNodesPerWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        if ((long)weight * virtualNodesPerWeight > MaxVirtualNodesPerNode)
        {
            throw new ArgumentOutOfRangeException(
                nameof(weight),
                weight,
                $"weight × virtual nodes per weight ({virtualNodesPerWeight}) must be at most {MaxVirtualNodesPerNode}.");
        }
    }

    private static int ValidateVirtualNodesPerWeight(int virtualNodesPerWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesPerWeight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(virtualNodesPerWeight, MaxVirtualNodesPerNode);
        return virtualNodesPerWeight;
    }

    private static Func<TNode, string> StringNodeId() =>
        typeof(TNode) == typeof(string)
            ? (Func<TNode, string>)(object)(Func<string, string>)(static node => node)
            : throw new InvalidOperationException(
                $"ConsistentHashRing<{typeof(TNode).Name}> needs a node id: use new ConsistentHashRing<{typeof(TNode).Name}>(node => node.Id), " +
                "where the id is a string that is the same in every process.");
}
