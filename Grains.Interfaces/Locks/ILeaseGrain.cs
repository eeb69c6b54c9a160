using Orleans.Concurrency;

namespace OrleansSync.Locks;

/// <summary>
/// The lease protocol shared by locks, semaphores, reader-writer locks and elections: one grain per name.
/// Grants are written to grain storage with the ETag before they are answered; waiters are served FIFO and pushed
/// their grant (see <see cref="WaitForGrant"/>); a timer hands an expired lease to the next waiter.
/// A grain whose storage write fails (for example a duplicate activation's stale ETag) throws
/// <see cref="Orleans.Storage.InconsistentStateException"/> and deactivates: retry with the same request id.
/// </summary>
[Alias("OrleansSync.Locks.ILeaseGrain")]
public interface ILeaseGrain : IGrainWithStringKey
{
    /// <summary>Grants at once, queues the request (when <see cref="LeaseRequest.Wait"/>), or refuses it. Idempotent per request id.</summary>
    /// <exception cref="ArgumentException">Invalid request (owner, lease, mode or limit), or a semaphore limit that differs from the one in use.</exception>
    [Alias("Acquire")]
    Task<LeaseAcquireResult> Acquire(LeaseRequest request);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> (capped at <see cref="LeaseLimits.MaxGrainWait"/>) for a queued request to be
    /// granted. Answers Granted, Queued (still waiting: call again) or Unknown (re-register with <see cref="Acquire"/>).
    /// A waiter with no pending call for a few seconds counts as dead and is dropped from the queue.
    /// </summary>
    [Alias("WaitForGrant"), AlwaysInterleave]
    Task<LeaseAcquireResult> WaitForGrant(Guid requestId, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms that the waiter received a grant handed to it (<see cref="LeaseGrant.ClaimBy"/> set). A hand-off not
    /// claimed (or renewed) by then ends, so a waiter whose process died inside a pending wait does not hold the name for
    /// a whole lease. True when the token still holds the name; false when the grant already ended.
    /// </summary>
    [Alias("Claim")]
    Task<bool> Claim(long token);

    /// <summary>Withdraws a request: removes it from the queue, or releases it if it was granted meanwhile. Returns whether it was known.</summary>
    [Alias("Cancel")]
    Task<bool> Cancel(Guid requestId);

    /// <summary>Extends the lease of <paramref name="token"/> to now + <paramref name="lease"/>; null when the token no longer holds the name.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lease"/> out of range.</exception>
    [Alias("Renew")]
    Task<LeaseGrant?> Renew(long token, TimeSpan lease);

    /// <summary>Releases <paramref name="token"/> and hands the name to the next waiters; false when the token no longer holds it.</summary>
    [Alias("Release")]
    Task<bool> Release(long token);

    /// <summary>Current holders, queue length and last token.</summary>
    [Alias("Describe")]
    Task<LeaseInfo> Describe();
}
