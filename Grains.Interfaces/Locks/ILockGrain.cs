namespace OrleansSync.Locks;

/// <summary>An exclusive lock with fencing tokens: requests must be <see cref="LeaseMode.Exclusive"/> with limit 1.</summary>
[Alias("OrleansSync.Locks.ILockGrain")]
public interface ILockGrain : ILeaseGrain;
