namespace OrleansSync.Queues;

/// <summary>A message handed to a consumer; settle it with its <see cref="Receipt"/> (ack or nack).</summary>
/// <param name="Id">The message id (the publisher's dedupe id or the one the broker assigned).</param>
/// <param name="Key">The ordering key, or null.</param>
/// <param name="Body">The payload.</param>
/// <param name="Headers">The headers; empty when none were published.</param>
/// <param name="Partition">The partition the message lives in.</param>
/// <param name="Offset">Its position in the partition's log (0-based, gap-free).</param>
/// <param name="DeliveryCount">1 on the first delivery to this group, +1 on every redelivery.</param>
/// <param name="Receipt">Identifies this delivery for ack/nack; a receipt from an earlier delivery of the same message no longer settles it.</param>
/// <param name="PublishedAt">When the message was stored.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueDelivery")]
public sealed record QueueDelivery(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Key,
    [property: Id(2)] byte[] Body,
    [property: Id(3)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(4)] int Partition,
    [property: Id(5)] long Offset,
    [property: Id(6)] int DeliveryCount,
    [property: Id(7)] string Receipt,
    [property: Id(8)] DateTimeOffset PublishedAt);
