namespace OrleansSync.Queues;

/// <summary>A message a consumer group gave up on.</summary>
/// <param name="Group">The consumer group it was dead-lettered in (other groups are not affected).</param>
/// <param name="Message">The message as it was last delivered (receipt no longer valid).</param>
/// <param name="Reason"><c>max-deliveries</c> (visibility ran out on the last allowed delivery) or <c>rejected</c> (nacked without requeue).</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueDeadLetter")]
public sealed record QueueDeadLetter(
    [property: Id(0)] string Group,
    [property: Id(1)] QueueDelivery Message,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset DeadLetteredAt);
