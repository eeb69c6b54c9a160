namespace OrleansSync.Queues;

/// <summary>
/// One consumer group of a queue (key <c>{queue}|{group}</c>): live consumers with leases and the assignment of
/// partitions to them, rebalanced when a consumer joins, leaves or lets its lease expire.
/// </summary>
[Alias("OrleansSync.Queues.IConsumerGroupGrain")]
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>Registers or renews <paramref name="consumer"/> and answers its partitions.</summary>
    [Alias("Heartbeat")]
    Task<ConsumerAssignment> Heartbeat(string consumer);

    /// <summary>Removes <paramref name="consumer"/> and releases its unsettled messages.</summary>
    [Alias("Leave")]
    Task Leave(string consumer);

    /// <summary>Consumers with a live lease.</summary>
    [Alias("GetConsumers")]
    Task<IReadOnlyList<string>> GetConsumers();
}
