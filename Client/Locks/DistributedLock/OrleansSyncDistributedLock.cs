using Medallion.Threading;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>A DistributedLock <see cref="IDistributedLock"/> backed by an OrleansSync lock (FIFO, fencing tokens, leases).</summary>
public sealed class OrleansSyncDistributedLock : IDistributedLock
{
    private readonly ILockService _locks;
    private readonly LockOptions? _options;
    private readonly string _key;

    internal OrleansSyncDistributedLock(ILockService locks, string name, LockOptions? options)
    {
        _locks = locks;
        _options = options;
        Name = name;
        _key = DistributedLockNames.Map(name);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryAcquireAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        OrleansSyncDistributedHandle.Wrap(await _locks.TryAcquireAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new OrleansSyncDistributedHandle(await _locks.AcquireAsync(_key, timeout, _options, cancellationToken).ConfigureAwait(false));
}
