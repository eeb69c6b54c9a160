namespace OrleansSync.Queues;

/// <summary>A dead letter as the partition stores it: a pointer into the log plus why and when.</summary>
/// <param name="Offset">The message's offset in the partition.</param>
/// <param name="DeliveryCount">How often the group delivered it.</param>
/// <param name="Reason"><c>max-deliveries</c> or <c>rejected</c>.</param>
/// <param name="DeadLetteredAt">When.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.DeadLetterRecord")]
public sealed record DeadLetterRecord(
    [property: Id(0)] long Offset,
    [property: Id(1)] int DeliveryCount,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset DeadLetteredAt);
