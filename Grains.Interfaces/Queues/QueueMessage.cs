namespace OrleansSync.Queues;

/// <summary>A message to publish.</summary>
/// <param name="Id">
/// Dedupe id, 1–256 characters without control characters. Null: the broker assigns a new one. A message whose id was
/// already stored in the same partition within the dedupe window (default 10 minutes) is not stored again; because the
/// partition follows from the key (or from the id when there is no key), a retried publish is always caught.
/// </param>
/// <param name="Key">
/// Ordering key, 1–256 characters without control characters, or null. Messages with the same key go to the same
/// partition and are delivered in publish order inside a consumer group.
/// </param>
/// <param name="Body">The payload, at most <see cref="QueueLimits.MaxBodyBytes"/> bytes. Opaque to the broker; the HTTP API carries JSON.</param>
/// <param name="Headers">Optional string headers, at most <see cref="QueueLimits.MaxHeaders"/>.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueMessage")]
public sealed record QueueMessage(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? Key,
    [property: Id(2)] byte[] Body,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Headers = null);
