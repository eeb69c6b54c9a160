namespace OrleansSync.Queues;

/// <summary>
/// A message of one group-partition that was handed out and is not settled. <see cref="Consumer"/> is null while it
/// waits for redelivery (released, nacked with requeue, or replayed from the dead letters).
/// </summary>
[GenerateSerializer, Alias("OrleansSync.Queues.InFlightEntry")]
internal sealed class InFlightEntry
{
    [Id(0)] public long Offset { get; set; }

    [Id(1)] public string? Consumer { get; set; }

    [Id(2)] public int DeliveryCount { get; set; }

    /// <summary>When the message becomes visible again (redeliverable); in the past for one waiting for redelivery.</summary>
    [Id(3)] public DateTimeOffset VisibleAt { get; set; }
}
