using Medallion.Threading;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>A DistributedLock <see cref="IDistributedSemaphore"/> backed by an OrleansSync semaphore.</summary>
public sealed class OrleansSyncDistributedSemaphore : IDistributedSemaphore
{
    private readonly ISemaphoreService _semaphores;
    private readonly LockOptions? _options;
    private readonly string _key;

    internal OrleansSyncDistributedSemaphore(ISemaphoreService semaphores, string name, int maxCount, LockOptions? options)
    {
        _semaphores = semaphores;
        _options = options;
        Name = name;
        MaxCount = OrleansSync.Locks.LeaseLimits.ValidateSemaphoreLimit(maxCount, nameof(maxCount));
        _key = DistributedLockNames.Map(name);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int MaxCount { get; }

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryAcquireAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IDistributedSynchronizationHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireAsync(timeout, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        OrleansSyncDistributedHandle.Wrap(await _semaphores.TryAcquireAsync(_key, MaxCount, timeout, _options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async ValueTask<IDistributedSynchronizationHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new OrleansSyncDistributedHandle(await _semaphores.AcquireAsync(_key, MaxCount, timeout, _options, cancellationToken).ConfigureAwait(false));
}
