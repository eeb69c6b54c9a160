namespace OrleansSync.Locks;

/// <summary>The outcome of <see cref="ILeaseGrain.Acquire"/> and <see cref="ILeaseGrain.WaitForGrant"/>.</summary>
[GenerateSerializer, Alias("OrleansSync.Locks.LeaseAcquireStatus")]
public enum LeaseAcquireStatus
{
    /// <summary>The request holds the lease; the grant is durable.</summary>
    Granted = 0,

    /// <summary>The request waits in the FIFO queue; call <see cref="ILeaseGrain.WaitForGrant"/>.</summary>
    Queued = 1,

    /// <summary>Not granted and not queued (the request did not ask to wait).</summary>
    Refused = 2,

    /// <summary>
    /// The grain does not know the request (it was dropped as a dead waiter, cancelled, or the grain reactivated):
    /// call <see cref="ILeaseGrain.Acquire"/> again with the same request id to re-register.
    /// </summary>
    Unknown = 3,
}
