using OrleansSync.Hosting;

namespace OrleansSync.Queues;

/// <summary>
/// Silo-side queue settings (<c>services.Configure&lt;QueueOptions&gt;(…)</c>). Setters validate at once and throw
/// <see cref="ArgumentOutOfRangeException"/> for values out of range.
/// </summary>
public sealed class QueueOptions
{
    private int _defaultPartitions = 4;
    private int _maxDeliveries = 5;
    private TimeSpan _dedupeWindow = TimeSpan.FromMinutes(10);
    private int _maxInFlightPerConsumer = 100;
    private TimeSpan _consumerLease = TimeSpan.FromSeconds(30);
    private int _maxUnsettledPerPartition = 10_000;
    private TimeSpan _deliveryFlushDelay = TimeSpan.FromMilliseconds(100);
    private int _maxConsumerLag;
    private TimeSpan _maxPublishHold = TimeSpan.FromSeconds(5);

    /// <summary>Partitions of a new queue; fixed when the queue is first used. Default 4; 1–256.</summary>
    public int DefaultPartitions
    {
        get => _defaultPartitions;
        set => _defaultPartitions = OptionBounds.InRange(value, 1, 256);
    }

    /// <summary>Deliveries per message and group before it is dead-lettered. Default 5; 1–100.</summary>
    public int MaxDeliveries
    {
        get => _maxDeliveries;
        set => _maxDeliveries = OptionBounds.InRange(value, 1, 100);
    }

    /// <summary>How long a message id is remembered for dedupe. Default 10 minutes; 1 second–7 days.</summary>
    public TimeSpan DedupeWindow
    {
        get => _dedupeWindow;
        set => _dedupeWindow = OptionBounds.InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
    }

    /// <summary>
    /// Prefetch bound: unsettled messages one consumer may hold. Default 100; 1–10,000. Enforced per partition as an
    /// equal share of the consumer's partitions (rounded up).
    /// </summary>
    public int MaxInFlightPerConsumer
    {
        get => _maxInFlightPerConsumer;
        set => _maxInFlightPerConsumer = OptionBounds.InRange(value, 1, 10_000);
    }

    /// <summary>
    /// A consumer that neither receives nor heartbeats for this long leaves its group; its messages are redelivered to the
    /// others. Default 30 s; 1 s–10 minutes.
    /// </summary>
    public TimeSpan ConsumerLease
    {
        get => _consumerLease;
        set => _consumerLease = OptionBounds.InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// Most offsets between a group's committed offset and its next offset on one partition (bounds the persisted delivery
    /// state). Default 10,000; 100–1,000,000.
    /// </summary>
    public int MaxUnsettledPerPartition
    {
        get => _maxUnsettledPerPartition;
        set => _maxUnsettledPerPartition = OptionBounds.InRange(value, 100, 1_000_000);
    }

    /// <summary>
    /// How long acks and first deliveries of a group-partition may live only in memory before its delivery state is
    /// persisted (a change that must be durable at once — a redelivery, dead letter, nack, release, rebalance claim,
    /// replay or seek — persists them earlier). A silo crash inside this window forgets them: forgotten acks deliver
    /// the messages again, forgotten first deliveries hand the messages out again at once with the same delivery count
    /// (at least once either way). Default 100 ms; 0–10 minutes; zero persists them before answering.
    /// </summary>
    public TimeSpan DeliveryFlushDelay
    {
        get => _deliveryFlushDelay;
        set => _deliveryFlushDelay = OptionBounds.InRange(value, TimeSpan.Zero, TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// Publish flow control. When above zero, a publish answer (given once its messages are durable, as always) is held
    /// while a consumer group that is being consumed (a consumer asked for messages within the last second) has more
    /// than this many messages of the partition not yet handed out; producers that wait for their answers then go at
    /// the speed of the consumers instead of growing a backlog, which bounds publish-to-consume latency. Groups nobody
    /// consumes from never hold publishes. Default 0 (off: the queue absorbs any backlog); 0 or 10–10,000,000.
    /// </summary>
    public int MaxConsumerLag
    {
        get => _maxConsumerLag;
        set => _maxConsumerLag = value == 0 ? 0 : OptionBounds.InRange(value, 10, 10_000_000);
    }

    /// <summary>
    /// Longest a publish answer is held by <see cref="MaxConsumerLag"/>; past it the publish is answered anyway (it is
    /// durable already, so a hold never fails a publish). Default 5 s; 0–20 s (below the 30 s Orleans response timeout
    /// clients use by default).
    /// </summary>
    public TimeSpan MaxPublishHold
    {
        get => _maxPublishHold;
        set => _maxPublishHold = OptionBounds.InRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }
}
