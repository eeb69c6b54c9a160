namespace OrleansSync.Replication.Crdts;

/// <summary>
/// A hybrid logical clock (Kulkarni et al., 2014): timestamps close to physical time that never go backwards on one
/// node, even when the wall clock does, and that are greater than every timestamp the node has received. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Bounded drift: <see cref="Receive"/> refuses a remote timestamp whose physical part is more than
/// <see cref="MaxDrift"/> ahead of this node's wall clock, and leaves the clock unchanged, so one node with a wildly
/// fast clock cannot drag every other clock into the future. Data carrying such a timestamp can still be merged (merge
/// does not need the clock); the only effect is that a later local write may order before it.</para>
/// <para>The logical counter is 32-bit; should it ever reach <see cref="int.MaxValue"/> within one millisecond the
/// clock moves its physical part 1 ms ahead instead, which keeps it monotonic.</para>
/// </remarks>
public sealed class HybridLogicalClock
{
    /// <summary>The default <see cref="MaxDrift"/>: one minute.</summary>
    public static readonly TimeSpan DefaultMaxDrift = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private HlcTimestamp _last;

    /// <summary>Creates a clock for <paramref name="node"/> reading <paramref name="time"/>.</summary>
    /// <param name="node">This node's id, unique among the nodes whose timestamps are compared; 1–256 characters.</param>
    /// <param name="time">The wall clock.</param>
    /// <param name="maxDrift">How far ahead of the wall clock a received timestamp may be; default <see cref="DefaultMaxDrift"/>, 1 ms–1 day.</param>
    /// <exception cref="ArgumentException"><paramref name="node"/> is null, empty or longer than 256 characters.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="time"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDrift"/> is out of range.</exception>
    public HybridLogicalClock(string node, TimeProvider time, TimeSpan? maxDrift = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        if (node.Length > 256)
        {
            throw new ArgumentException("node must be at most 256 characters.", nameof(node));
        }

        ArgumentNullException.ThrowIfNull(time);
        var drift = maxDrift ?? DefaultMaxDrift;
        ArgumentOutOfRangeException.ThrowIfLessThan(drift, TimeSpan.FromMilliseconds(1), nameof(maxDrift));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(drift, TimeSpan.FromDays(1), nameof(maxDrift));
        Node = node;
        _time = time;
        MaxDrift = drift;
        _last = new HlcTimestamp(0, 0, node);
    }

    /// <summary>This node's id, the tie-break of its timestamps.</summary>
    public string Node { get; }

    /// <summary>How far ahead of the local wall clock a received timestamp may be.</summary>
    public TimeSpan MaxDrift { get; }

    /// <summary>The last timestamp issued (or the zero reading of this node before the first).</summary>
    public HlcTimestamp Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>A timestamp for a local event: greater than every timestamp this clock issued or received before.</summary>
    public HlcTimestamp Now()
    {
        lock (_gate)
        {
            var wall = WallMs();
            _last = wall > _last.WallTimeMs ? new HlcTimestamp(wall, 0, Node) : Next(_last.WallTimeMs, _last.Logical);
            return _last;
        }
    }

    /// <summary>
    /// Takes in a timestamp received from another node and answers a timestamp for the receive event, greater than both
    /// <paramref name="remote"/> and every timestamp this clock issued before.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="remote"/> is more than <see cref="MaxDrift"/> ahead of the wall clock; the clock is unchanged.</exception>
    public HlcTimestamp Receive(HlcTimestamp remote) =>
        TryReceive(remote, out var now)
            ? now
            : throw new ArgumentOutOfRangeException(nameof(remote), remote, $"The timestamp is more than {MaxDrift} ahead of this node's clock.");

    /// <summary>As <see cref="Receive"/>, but answers false (clock unchanged) instead of throwing on excess drift.</summary>
    public bool TryReceive(HlcTimestamp remote, out HlcTimestamp now)
    {
        lock (_gate)
        {
            var wall = WallMs();
            if (remote.WallTimeMs - wall > (long)MaxDrift.TotalMilliseconds)
            {
                now = _last;
                return false;
            }

            var top = Math.Max(wall, Math.Max(_last.WallTimeMs, remote.WallTimeMs));
            if (top == _last.WallTimeMs && top == remote.WallTimeMs)
            {
                _last = Next(top, Math.Max(_last.Logical, remote.Logical));
            }
            else if (top == _last.WallTimeMs)
            {
                _last = Next(top, _last.Logical);
            }
            else if (top == remote.WallTimeMs)
            {
                _last = Next(top, remote.Logical);
            }
            else
            {
                _last = new HlcTimestamp(top, 0, Node);
            }

            now = _last;
            return true;
        }
    }

    private HlcTimestamp Next(long wall, int logical) =>
        logical == int.MaxValue ? new HlcTimestamp(wall + 1, 0, Node) : new HlcTimestamp(wall, logical + 1, Node);

    private long WallMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
