namespace OrleansSync.Locks;

/// <summary>What <see cref="ILeaseGrain.Acquire"/> or <see cref="ILeaseGrain.WaitForGrant"/> answered.</summary>
/// <param name="Status">Granted, queued, refused or unknown.</param>
/// <param name="Grant">The grant when <paramref name="Status"/> is <see cref="LeaseAcquireStatus.Granted"/>; otherwise null.</param>
/// <param name="Position">0-based place in the queue when queued; otherwise -1.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseAcquireResult")]
public sealed record LeaseAcquireResult(
    [property: Id(0)] LeaseAcquireStatus Status,
    [property: Id(1)] LeaseGrant? Grant,
    [property: Id(2)] int Position);
