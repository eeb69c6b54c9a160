namespace OrleansSync.Locks;

/// <summary>A reader-writer lock: readers are <see cref="LeaseMode.Shared"/>, writers <see cref="LeaseMode.Exclusive"/>; once a writer waits, new readers queue behind it, so writers are not starved.</summary>
[Alias("OrleansSync.Locks.IReaderWriterLockGrain")]
public interface IReaderWriterLockGrain : ILeaseGrain;
