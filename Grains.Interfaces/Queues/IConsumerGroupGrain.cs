using Orleans.Concurrency;

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

    /// <summary>
    /// Completes when the group rebalances to a generation newer than <paramref name="generation"/>, or after
    /// <paramref name="timeout"/>; answers the generation then. Lets a waiting receive learn at once that it was given a
    /// partition it is not waiting on. Only reads state, so it interleaves with other calls.
    /// </summary>
    [AlwaysInterleave]
    [Alias("WaitForRebalance")]
    Task<long> WaitForRebalance(long generation, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="consumer"/>'s partitions if it holds a live lease, else null; unlike <see cref="Heartbeat"/> it
    /// neither registers nor renews (a receive woken by the rebalance of its own leave must not join again).
    /// </summary>
    [Alias("GetAssignment")]
    Task<ConsumerAssignment?> GetAssignment(string consumer);

    /// <summary>Consumers with a live lease.</summary>
    [Alias("GetConsumers")]
    Task<IReadOnlyList<string>> GetConsumers();
}
