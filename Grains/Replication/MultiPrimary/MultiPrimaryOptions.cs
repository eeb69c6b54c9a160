using OrleansSync.Hosting;
using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Silo-side settings of multi-primary copies (<c>services.Configure&lt;MultiPrimaryOptions&gt;(…)</c>). Setters validate
/// at once and throw <see cref="ArgumentOutOfRangeException"/> for values out of range.
/// </summary>
public sealed class MultiPrimaryOptions
{
    private TimeSpan _antiEntropyInterval = TimeSpan.FromSeconds(5);
    private TimeSpan _peerTimeout = TimeSpan.FromSeconds(5);
    private int _antiEntropyBatchSize = 1000;
    private int _maxValueBytes = MultiPrimaryLimits.DefaultMaxValueBytes;
    private TimeSpan _maxClockDrift = HybridLogicalClock.DefaultMaxDrift;
    private TimeSpan _tombstoneRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// How often each copy compares digests with every peer and exchanges the keys that differ. Once copies can reach
    /// each other, they agree within about one interval plus the exchange time. Default 5 s; 100 ms–10 minutes.
    /// </summary>
    public TimeSpan AntiEntropyInterval
    {
        get => _antiEntropyInterval;
        set => _antiEntropyInterval = OptionBounds.InRange(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// How long a copy waits for a peer's answer (push, read-repair read, digest exchange) before counting it as
    /// missing. Default 5 s; 100 ms–2 minutes.
    /// </summary>
    public TimeSpan PeerTimeout
    {
        get => _peerTimeout;
        set => _peerTimeout = OptionBounds.InRange(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
    }

    /// <summary>Most keys sent (and most asked for) per anti-entropy message; a tick repeats until the peers agree. Default 1,000; 1–100,000.</summary>
    public int AntiEntropyBatchSize
    {
        get => _antiEntropyBatchSize;
        set => _antiEntropyBatchSize = OptionBounds.InRange(value, 1, 100_000);
    }

    /// <summary>Largest register value in bytes. Default 1 MiB; 1 byte–16 MiB.</summary>
    public int MaxValueBytes
    {
        get => _maxValueBytes;
        set => _maxValueBytes = OptionBounds.InRange(value, 1, 16 * 1024 * 1024);
    }

    /// <summary>
    /// How far ahead of the local wall clock a received timestamp may move a copy's hybrid logical clock
    /// (<see cref="HybridLogicalClock.MaxDrift"/>). Default 1 minute; 1 ms–1 day.
    /// </summary>
    public TimeSpan MaxClockDrift
    {
        get => _maxClockDrift;
        set => _maxClockDrift = OptionBounds.InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
    }

    /// <summary>
    /// How long a deleted register's tombstone is kept. A tombstone is what makes a delete win over an older write that
    /// arrives later, so it must outlive every way such a write can still arrive: a copy cut off (or stopped with its
    /// data) for longer than this can bring a deleted value back when it returns. Such a copy's data should be emptied
    /// before it rejoins. Older tombstones are dropped by each copy's anti-entropy timer (checked at most once a minute)
    /// and ignored when a peer sends them. Default 7 days; 1 s–10 years.
    /// </summary>
    public TimeSpan TombstoneRetention
    {
        get => _tombstoneRetention;
        set => _tombstoneRetention = OptionBounds.InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(3650));
    }
}
