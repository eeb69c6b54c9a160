namespace OrleansSync.Locks;

/// <summary>What <see cref="LeaseBook.Acquire"/> decided.</summary>
/// <param name="Status">Granted (new or, for a retried request id, existing), queued or refused.</param>
/// <param name="Holder">The grant when granted.</param>
/// <param name="Position">Queue position when queued, else -1.</param>
internal readonly record struct LeaseDecision(LeaseAcquireStatus Status, LeaseHolder? Holder, int Position);
