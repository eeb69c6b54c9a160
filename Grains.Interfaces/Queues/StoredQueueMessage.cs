namespace OrleansSync.Queues;

/// <summary>A message as the partition log holds it (internal to the queue grains).</summary>
/// <param name="Offset">Position in the partition, gap-free from 0.</param>
/// <param name="Id">Message id.</param>
/// <param name="Key">Ordering key or null.</param>
/// <param name="Body">Payload.</param>
/// <param name="Headers">Headers (possibly empty).</param>
/// <param name="PublishedAt">When it was appended.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.StoredQueueMessage")]
public sealed record StoredQueueMessage(
    [property: Id(0)] long Offset,
    [property: Id(1)] string Id,
    [property: Id(2)] string? Key,
    [property: Id(3)] byte[] Body,
    [property: Id(4)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(5)] DateTimeOffset PublishedAt);
