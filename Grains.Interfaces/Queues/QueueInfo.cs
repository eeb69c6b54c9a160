namespace OrleansSync.Queues;

/// <summary>What <c>GET /v1/queues/{queue}</c> reports.</summary>
/// <param name="Queue">The queue name.</param>
/// <param name="Partitions">How many partitions the queue has (fixed when it is first used).</param>
/// <param name="Depth">Messages stored in the queue's log (all partitions; the log is shared by every group).</param>
/// <param name="InFlight">Messages handed out and not yet settled, over all groups.</param>
/// <param name="DeadLetters">Dead letters over all groups.</param>
/// <param name="Groups">One entry per consumer group that ever received from the queue.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueInfo")]
public sealed record QueueInfo(
    [property: Id(0)] string Queue,
    [property: Id(1)] int Partitions,
    [property: Id(2)] long Depth,
    [property: Id(3)] long InFlight,
    [property: Id(4)] long DeadLetters,
    [property: Id(5)] IReadOnlyList<QueueGroupInfo> Groups);
