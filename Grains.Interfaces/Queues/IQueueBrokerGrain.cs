namespace OrleansSync.Queues;

/// <summary>
/// The front door of the queues (a stateless worker, local to the calling silo): validates input, routes messages to
/// partitions and runs the receive long-poll. The .NET client and the HTTP API both call it.
/// </summary>
[Alias("OrleansSync.Queues.IQueueBrokerGrain")]
public interface IQueueBrokerGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the messages durably (Postgres profile) and answers their ids in input order, duplicates included.</summary>
    /// <exception cref="ArgumentException">Invalid queue name or message (see <see cref="QueueValidation.ValidatePublish"/>).</exception>
    [Alias("Publish")]
    Task<IReadOnlyList<string>> Publish(string queue, IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands out up to <paramref name="max"/> messages of the partitions <paramref name="consumer"/> owns, waiting up to
    /// min(<paramref name="wait"/>, <see cref="QueueLimits.MaxWaitPerCallMs"/>) for some to arrive. Renews the consumer's lease and
    /// creates the group on first use.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid names or bounds (see <see cref="QueueValidation.ValidateReceive"/>).</exception>
    [Alias("Receive")]
    Task<IReadOnlyList<QueueDelivery>> Receive(string queue, string group, string consumer, int max, TimeSpan wait, TimeSpan visibility, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="Ack"/> of <paramref name="receipts"/>, then <see cref="Receive"/>, in one call: a consumer that settles
    /// and asks for more in one round trip. The acks are applied before anything is handed out, so they count for the
    /// consumer's prefetch bound; unknown or stale receipts are ignored, as by <see cref="Ack"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Ack"/> and <see cref="Receive"/>; nothing is acknowledged then.</exception>
    [Alias("AckAndReceive")]
    Task<IReadOnlyList<QueueDelivery>> AckAndReceive(
        string queue, string group, string consumer, IReadOnlyList<string> receipts, int max, TimeSpan wait, TimeSpan visibility, CancellationToken cancellationToken = default);

    /// <summary>Renews <paramref name="consumer"/>'s lease without receiving.</summary>
    [Alias("Heartbeat")]
    Task Heartbeat(string queue, string group, string consumer);

    /// <summary>Removes <paramref name="consumer"/> from the group at once; its unsettled messages become visible to the others.</summary>
    [Alias("Leave")]
    Task Leave(string queue, string group, string consumer);

    /// <summary>Acknowledges deliveries; answers how many receipts settled a message (unknown or stale receipts do not count).</summary>
    /// <exception cref="ArgumentException">A name is invalid or a receipt is malformed.</exception>
    [Alias("Ack")]
    Task<int> Ack(string queue, string group, IReadOnlyList<string> receipts);

    /// <summary>
    /// Rejects deliveries: with <paramref name="requeue"/> the messages become visible again at once (dead letter if it was
    /// their last allowed delivery), without it they go straight to the dead letters. Answers how many receipts matched.
    /// </summary>
    /// <exception cref="ArgumentException">A name is invalid or a receipt is malformed.</exception>
    [Alias("Nack")]
    Task<int> Nack(string queue, string group, IReadOnlyList<string> receipts, bool requeue);

    /// <summary>Depth, in-flight and dead-letter counts, per group.</summary>
    [Alias("GetInfo")]
    Task<QueueInfo> GetInfo(string queue);

    /// <summary>Lists up to <paramref name="max"/> dead letters of one group, or of every group when <paramref name="group"/> is null.</summary>
    [Alias("GetDeadLetters")]
    Task<IReadOnlyList<QueueDeadLetter>> GetDeadLetters(string queue, string? group, int max);

    /// <summary>
    /// Hands up to <paramref name="max"/> dead letters (one group, or every group when <paramref name="group"/> is null)
    /// back to their group for redelivery with a fresh delivery count; other groups are not affected. Answers how many.
    /// </summary>
    [Alias("ReplayDeadLetters")]
    Task<int> ReplayDeadLetters(string queue, string? group, int max);

    /// <summary>
    /// Replays a group from an offset: moves the group's position on <paramref name="partition"/> (or on every partition when
    /// null) to <paramref name="offset"/>. Everything below counts as settled; everything from it on is delivered again, in
    /// order, with a fresh delivery count. Messages the group held unsettled there are forgotten (their receipts may settle
    /// the new delivery of the same offset). With every partition, a partition shorter than <paramref name="offset"/> moves
    /// to its end. Other groups are not affected. Answers the new positions.
    /// </summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="offset"/> is negative or, for one partition, beyond its end; <paramref name="partition"/> is not one of the queue's.
    /// </exception>
    [Alias("Seek")]
    Task<IReadOnlyList<QueuePartitionPosition>> Seek(string queue, string group, int? partition, long offset);
}
