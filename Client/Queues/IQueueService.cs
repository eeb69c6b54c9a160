using OrleansSync.Queues;

namespace OrleansSync.Client.Queues;

/// <summary>
/// Message queues of the OrleansSync cluster: publish, push subscriptions with ack/nack, and the pull operations the HTTP
/// API offers. Delivery is at least once: a handler must tolerate seeing a message again (see
/// <see cref="QueueDelivery.DeliveryCount"/>).
/// </summary>
/// <remarks>
/// Every method validates its input and throws <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>)
/// before contacting the cluster. A cluster that cannot be reached surfaces as Orleans'
/// <c>SiloUnavailableException</c>/<c>OrleansMessageRejectionException</c> or <see cref="TimeoutException"/>; retrying a
/// publish with the same message ids is safe inside the dedupe window (10 minutes by default).
/// </remarks>
public interface IQueueService
{
    /// <summary>
    /// Publishes messages and returns their ids in input order once they are stored (durably, on the PostgreSQL profile).
    /// Messages without an id get a new one; a message whose id the partition stored within the dedupe window is not
    /// stored again (its id is still returned).
    /// </summary>
    /// <param name="queue">Queue name (1–256 characters of <c>[A-Za-z0-9._:/-]</c>); created on first use.</param>
    /// <param name="messages">1–1,000 messages, each body at most 1 MiB.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer (the publish may still complete).</param>
    /// <exception cref="ArgumentException">Invalid queue name, id, key, headers, or batch size; body over 1 MiB.</exception>
    Task<IReadOnlyList<string>> PublishAsync(string queue, IEnumerable<QueueMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a push subscription: a background loop long-polls the group for this consumer's partitions and invokes
    /// <paramref name="handler"/> per message. A handler that returns acks the message; one that throws nacks it with
    /// requeue (redelivered at once, dead-lettered after the queue's max deliveries). Messages with the same key are
    /// handled one at a time in order, even with <see cref="QueueSubscriptionOptions.Concurrency"/> above 1. Dispose the
    /// subscription to stop: it stops receiving, cancels the handlers' token and waits for running and buffered handlers
    /// (a handler that throws on cancellation has its message requeued), flushes acks and leaves the group so its
    /// partitions move to the remaining consumers at once.
    /// </summary>
    /// <param name="queue">Queue name.</param>
    /// <param name="group">Consumer group name; every group gets every message; created on first use.</param>
    /// <param name="handler">Called per message with a token that is cancelled when the subscription is disposed.</param>
    /// <param name="options">Consumer id, prefetch, visibility, concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels starting (not the subscription).</param>
    /// <returns>The running subscription.</returns>
    /// <exception cref="ArgumentException">Invalid names.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    Task<IQueueSubscription> SubscribeAsync(
        string queue, string group, Func<QueueDelivery, CancellationToken, Task> handler, QueueSubscriptionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pull receive (what the HTTP <c>receive</c> route does): up to <paramref name="max"/> messages for
    /// <paramref name="consumer"/>, waiting up to <paramref name="wait"/> (default 0, at most 5 minutes) for some. Settle
    /// each with <see cref="AckAsync"/> or <see cref="NackAsync"/> within <paramref name="visibility"/> (default 30 s).
    /// A consumer that stops calling for the silo's consumer lease (30 s by default) leaves the group.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid names.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> not 1–1,000, wait not 0–300 s, visibility not 1 s–12 h.</exception>
    Task<IReadOnlyList<QueueDelivery>> ReceiveAsync(
        string queue, string group, string consumer, int max = 10, TimeSpan? wait = null, TimeSpan? visibility = null, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges deliveries; answers how many receipts settled a message (unknown or stale ones do not count).</summary>
    /// <exception cref="ArgumentException">Invalid names; no receipts, over 1,000, or a malformed receipt.</exception>
    Task<int> AckAsync(string queue, string group, IEnumerable<string> receipts, CancellationToken cancellationToken = default);

    /// <summary>Rejects deliveries: requeue (default) makes them visible again at once; otherwise they become dead letters. Answers how many matched.</summary>
    /// <exception cref="ArgumentException">Invalid names; no receipts, over 1,000, or a malformed receipt.</exception>
    Task<int> NackAsync(string queue, string group, IEnumerable<string> receipts, bool requeue = true, CancellationToken cancellationToken = default);

    /// <summary>Partitions, depth, in-flight and dead-letter counts, per group.</summary>
    /// <exception cref="ArgumentException">Invalid queue name.</exception>
    Task<QueueInfo> GetInfoAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> (1–1,000, default 100) dead letters of one group, or of every group when <paramref name="group"/> is null.</summary>
    /// <exception cref="ArgumentException">Invalid names or <paramref name="max"/>.</exception>
    Task<IReadOnlyList<QueueDeadLetter>> GetDeadLettersAsync(string queue, string? group = null, int max = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands up to <paramref name="max"/> dead letters back to their group for redelivery (delivery count starts again);
    /// other groups are not affected. Answers how many.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid names or <paramref name="max"/>.</exception>
    Task<int> ReplayDeadLettersAsync(string queue, string? group = null, int max = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays <paramref name="group"/> from <paramref name="offset"/> on one partition, or on every partition when
    /// <paramref name="partition"/> is null (a partition shorter than the offset moves to its end). Offsets below count as
    /// settled; the messages from the offset on are delivered again in order with a fresh delivery count. Unsettled
    /// deliveries of the group there are forgotten (an ack of one may settle the new delivery of the same offset). Other
    /// groups are not affected. Answers the group's new position per partition.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid names.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Negative <paramref name="offset"/>, or beyond the end of the one partition named; <paramref name="partition"/> not one of the queue's.
    /// </exception>
    Task<IReadOnlyList<QueuePartitionPosition>> SeekAsync(string queue, string group, long offset, int? partition = null, CancellationToken cancellationToken = default);
}
