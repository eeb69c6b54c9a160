using Medallion.Threading;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>A DistributedLock <see cref="IDistributedReaderWriterLock"/> backed by an OrleansSync reader-writer lock (writers not starved).</summary>
public sealed class OrleansSyncDistributedReaderWriterLock : IDistributedReaderWriterLock
{
    private readonly IReaderWriterLockService _locks;
    private readonly LockOptions? _options;
    private readonly string _key;

    internal OrleansSyncDistributedReaderWriterLock(IReaderWriterLockService locks, string name, LockOptions? options)
    {
        _locks = locks;
        _options = options;
        Name = name;
        _key = DistributedLockNames.Map(name);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle? TryAcquireReadLock(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryAcquireReadLockAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle AcquireReadLock(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireReadLockAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle?> TryAcquireReadLockAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        OrleansSyncDistributedHandle.Wrap(await _locks.TryAcquireReadLockAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle> AcquireReadLockAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new OrleansSyncDistributedHandle(await _locks.AcquireReadLockAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle? TryAcquireWriteLock(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryAcquireWriteLockAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle AcquireWriteLock(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireWriteLockAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle?> TryAcquireWriteLockAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        OrleansSyncDistributedHandle.Wrap(await _locks.TryAcquireWriteLockAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle> AcquireWriteLockAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new OrleansSyncDistributedHandle(await _locks.AcquireWriteLockAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));
}
