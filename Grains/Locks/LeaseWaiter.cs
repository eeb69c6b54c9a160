namespace OrleansSync.Locks;

/// <summary>A queued request (memory only: a waiter re-registers with its request id after a reactivation).</summary>
internal sealed class LeaseWaiter(Guid requestId, string owner, LeaseMode mode, TimeSpan lease, DateTimeOffset now)
{
    public Guid RequestId { get; } = requestId;

    public string Owner { get; } = owner;

    public LeaseMode Mode { get; } = mode;

    public TimeSpan Lease { get; } = lease;

    /// <summary>How many <c>WaitForGrant</c> calls of this waiter are in progress.</summary>
    public int PendingWaits { get; set; }

    /// <summary>When the waiter last showed it is alive (an acquire, the start or end of a wait).</summary>
    public DateTimeOffset LastSeen { get; set; } = now;
}
