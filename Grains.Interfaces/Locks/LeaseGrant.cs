namespace OrleansSync.Locks;

/// <summary>A granted lease, durable in grain storage before it is returned.</summary>
/// <param name="Name">The lock name.</param>
/// <param name="Owner">The owner given in the request.</param>
/// <param name="Token">The fencing token: strictly increasing per name, for ever. For elections it is the leader's term.</param>
/// <param name="Mode">Exclusive or shared.</param>
/// <param name="Lease">The lease length the grant was made or last renewed with.</param>
/// <param name="ExpiresAt">When the lease ends unless renewed (server clock).</param>
/// <param name="Remaining">Time left on the lease when the grain answered; a client adds it to the time it sent the call to get a safe local expiry.</param>
/// <param name="RequestId">The request that was granted.</param>
/// <param name="ClaimBy">
/// Set on a grant handed to a waiter that has not claimed it yet: the waiter must call <see cref="ILeaseGrain.Claim"/>
/// (or renew) before this time, or the grant ends and the name goes to the next waiter. Null otherwise.
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseGrant")]
public sealed record LeaseGrant(
    [property: Id(0)] string Name,
    [property: Id(1)] string Owner,
    [property: Id(2)] long Token,
    [property: Id(3)] LeaseMode Mode,
    [property: Id(4)] TimeSpan Lease,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] TimeSpan Remaining,
    [property: Id(7)] Guid RequestId,
    [property: Id(8)] DateTimeOffset? ClaimBy = null);
