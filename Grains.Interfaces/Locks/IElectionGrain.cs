namespace OrleansSync.Locks;

/// <summary>Leader election: the leader holds an exclusive lease whose fencing token is its term; candidates queue FIFO.</summary>
[Alias("OrleansSync.Locks.IElectionGrain")]
public interface IElectionGrain : ILeaseGrain;
