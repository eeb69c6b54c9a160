namespace OrleansSync.Queues;

/// <summary>
/// The persisted form of a <see cref="DeliveryBook"/>. Its size is bounded by the unsettled window
/// (<see cref="QueueOptions.MaxUnsettledPerPartition"/>), never by the length of the log.
/// </summary>
[GenerateSerializer, Alias("OrleansSync.Queues.DeliveryBookState")]
internal sealed class DeliveryBookState
{
    [Id(0)] public long CommittedOffset { get; set; }

    [Id(1)] public long NextOffset { get; set; }

    [Id(2)] public string? Owner { get; set; }

    [Id(3)] public long Generation { get; set; }

    [Id(4)] public List<InFlightEntry> InFlight { get; set; } = [];

    [Id(5)] public List<long> Settled { get; set; } = [];
}
