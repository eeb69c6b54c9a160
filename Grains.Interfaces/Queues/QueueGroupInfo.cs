namespace OrleansSync.Queues;

/// <summary>One consumer group of a queue.</summary>
/// <param name="Group">The group name.</param>
/// <param name="Consumers">Consumers holding a live lease, by id.</param>
/// <param name="Pending">Messages of the log this group has not settled yet (acked or dead-lettered), in flight included.</param>
/// <param name="InFlight">Messages handed out to this group's consumers and not yet settled.</param>
/// <param name="DeadLetters">This group's dead letters.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.QueueGroupInfo")]
public sealed record QueueGroupInfo(
    [property: Id(0)] string Group,
    [property: Id(1)] IReadOnlyList<string> Consumers,
    [property: Id(2)] long Pending,
    [property: Id(3)] long InFlight,
    [property: Id(4)] long DeadLetters);
