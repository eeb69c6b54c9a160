namespace OrleansSync.Locks;

/// <summary>A counting semaphore: requests are <see cref="LeaseMode.Shared"/>; the limit (1–10,000) is fixed while anyone holds or waits.</summary>
[Alias("OrleansSync.Locks.ISemaphoreGrain")]
public interface ISemaphoreGrain : ILeaseGrain;
