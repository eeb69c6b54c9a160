namespace OrleansSync.Queues;

/// <summary>Progress of one consumer group on one partition.</summary>
/// <param name="CommittedOffset">Every offset below it is settled (acked or dead-lettered).</param>
/// <param name="Settled">Offsets at or above <paramref name="CommittedOffset"/> that are settled.</param>
/// <param name="InFlight">Messages handed out and not settled.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Queues.GroupPartitionStatus")]
public sealed record GroupPartitionStatus(
    [property: Id(0)] long CommittedOffset,
    [property: Id(1)] long Settled,
    [property: Id(2)] long InFlight);
