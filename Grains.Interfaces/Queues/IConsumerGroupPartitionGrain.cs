using Orleans.Concurrency;

namespace OrleansSync.Queues;

/// <summary>
/// The delivery state of one consumer group on one partition (key <c>{queue}|{group}|{partition}</c>): next offset to
/// hand out, messages in flight with their visibility deadlines, redelivery and dead letters. Woken by the partition
/// grain's direct sends (<see cref="Appended"/>) and by its stream.
/// </summary>
[Alias("OrleansSync.Queues.IConsumerGroupPartitionGrain")]
public interface IConsumerGroupPartitionGrain : IGrainWithStringKey
{
    /// <summary>
    /// <see cref="Ack"/> of <paramref name="acks"/>, then <see cref="Receive"/>, in one call (the broker's
    /// <see cref="IQueueBrokerGrain.AckAndReceive"/>: one hop per consume cycle). The acks count even if the claim fails.
    /// </summary>
    [Alias("AckAndReceive")]
    Task<IReadOnlyList<QueueDelivery>> AckAndReceive(
        IReadOnlyList<QueueReceipt> acks, string consumer, long generation, int max, TimeSpan visibility, int maxInFlight);

    /// <summary>
    /// Messages the partition just appended, sent straight by the partition grain to the groups that watch it (see
    /// <see cref="IQueuePartitionGrain.Watch"/>), as the stream push is: a wake-up, never the source of truth (a
    /// missed or reordered send only means a read of the log).
    /// </summary>
    [OneWay]
    [Alias("Appended")]
    Task Appended(QueuePartitionAppended appended);

    /// <summary>
    /// Hands up to <paramref name="max"/> messages to <paramref name="consumer"/> if it owns the partition as of
    /// <paramref name="generation"/> (the group's newest rebalance this partition has seen); empty otherwise. Never more
    /// than <paramref name="maxInFlight"/> messages are in flight to one consumer on this partition (prefetch bound).
    /// </summary>
    [Alias("Receive")]
    Task<IReadOnlyList<QueueDelivery>> Receive(string consumer, long generation, int max, TimeSpan visibility, int maxInFlight);

    /// <summary>
    /// Completes when something may be deliverable (a push arrived, a message became visible again) or after
    /// <paramref name="timeout"/>; answers whether <paramref name="consumer"/> may now receive something. Changes
    /// nothing, so it interleaves with other calls.
    /// </summary>
    [AlwaysInterleave]
    [Alias("WaitForMessages")]
    Task<bool> WaitForMessages(string consumer, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Settles deliveries; answers how many receipts matched a message in flight.</summary>
    [Alias("Ack")]
    Task<int> Ack(IReadOnlyList<QueueReceipt> receipts);

    /// <summary>Rejects deliveries (requeue or dead letter); answers how many receipts matched.</summary>
    [Alias("Nack")]
    Task<int> Nack(IReadOnlyList<QueueReceipt> receipts, bool requeue);

    /// <summary>Makes every message in flight to <paramref name="consumer"/> visible again at once (consumer gone).</summary>
    [Alias("Release")]
    Task Release(string consumer);

    /// <summary>Progress counters.</summary>
    [Alias("GetStatus")]
    Task<GroupPartitionStatus> GetStatus();

    /// <summary>
    /// The group's hand-out position here and whether it is being consumed (see the silo option <c>Queues:MaxConsumerLag</c>);
    /// answered between other calls, from memory.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetProgress")]
    Task<GroupPartitionProgress> GetProgress();

    /// <summary>Hands up to <paramref name="max"/> dead letters back for redelivery; answers how many.</summary>
    [Alias("ReplayDeadLetters")]
    Task<int> ReplayDeadLetters(int max);

    /// <summary>Moves the group's position here to <paramref name="offset"/> (see <see cref="IQueueBrokerGrain.Seek"/>); answers it.</summary>
    [Alias("Seek")]
    Task<long> Seek(long offset);
}
