using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <summary>
/// Distributed reader-writer locks: many readers or one writer. Waiters are FIFO, so once a writer waits, later readers
/// queue behind it and writers are never starved. Every grant has its own fencing token and lease.
/// </summary>
public interface IReaderWriterLockService
{
    /// <summary>Takes a read lock within <paramref name="timeout"/> (null or zero = try once), or returns null.</summary>
    /// <exception cref="ArgumentException">Invalid name or timeout.</exception>
    Task<LeaseHandle?> TryAcquireReadLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Takes a read lock, waiting up to <paramref name="timeout"/> (null = for ever).</summary>
    /// <exception cref="TimeoutException">Not acquired within <paramref name="timeout"/>.</exception>
    Task<LeaseHandle> AcquireReadLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Takes the write lock within <paramref name="timeout"/> (null or zero = try once), or returns null.</summary>
    /// <exception cref="ArgumentException">Invalid name or timeout.</exception>
    Task<LeaseHandle?> TryAcquireWriteLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Takes the write lock, waiting up to <paramref name="timeout"/> (null = for ever).</summary>
    /// <exception cref="TimeoutException">Not acquired within <paramref name="timeout"/>.</exception>
    Task<LeaseHandle> AcquireWriteLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Holders, queue length and last token of <paramref name="name"/>.</summary>
    Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default);
}
