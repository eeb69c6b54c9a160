namespace OrleansSync.Locks;

/// <summary>A request to hold a lease on one name.</summary>
/// <param name="RequestId">
/// Client-generated id. Retrying <see cref="ILeaseGrain.Acquire"/> with the same id is idempotent: a granted
/// request answers the same grant, a queued one keeps its place. Must not be <see cref="Guid.Empty"/>.
/// </param>
/// <param name="Owner">Who holds the lease (shown in status); 1–256 characters.</param>
/// <param name="Mode">Exclusive (lock, writer, leader) or shared (reader, semaphore ticket).</param>
/// <param name="Lease">Time to live of the grant; <see cref="LeaseLimits.MinLease"/>–<see cref="LeaseLimits.MaxLease"/>.</param>
/// <param name="Limit">How many shared holders the name admits: 1 for locks and elections, the semaphore's count, ignored for reader-writer locks.</param>
/// <param name="Wait">When false the request is granted at once or refused; when true it is queued (FIFO) if it cannot be granted.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string Owner,
    [property: Id(2)] LeaseMode Mode,
    [property: Id(3)] TimeSpan Lease,
    [property: Id(4)] int Limit,
    [property: Id(5)] bool Wait);
