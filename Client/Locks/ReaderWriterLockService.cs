using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <inheritdoc cref="IReaderWriterLockService"/>
internal sealed class ReaderWriterLockService(LeaseClient leases) : IReaderWriterLockService
{
    public Task<LeaseHandle?> TryAcquireReadLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default) =>
        TryAsync(name, LeaseMode.Shared, LeaseClient.ValidateTimeout(timeout, TimeSpan.Zero), options, cancellationToken);

    public async Task<LeaseHandle> AcquireReadLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wait = LeaseClient.ValidateTimeout(timeout, Timeout.InfiniteTimeSpan);
        return await TryAsync(name, LeaseMode.Shared, wait, options, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Read lock '{name}' was not acquired within {wait}.");
    }

    public Task<LeaseHandle?> TryAcquireWriteLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default) =>
        TryAsync(name, LeaseMode.Exclusive, LeaseClient.ValidateTimeout(timeout, TimeSpan.Zero), options, cancellationToken);

    public async Task<LeaseHandle> AcquireWriteLockAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wait = LeaseClient.ValidateTimeout(timeout, Timeout.InfiniteTimeSpan);
        return await TryAsync(name, LeaseMode.Exclusive, wait, options, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Write lock '{name}' was not acquired within {wait}.");
    }

    public Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default) =>
        Grain(name).Describe().WaitAsync(cancellationToken);

    private Task<LeaseHandle?> TryAsync(string name, LeaseMode mode, TimeSpan timeout, LockOptions? options, CancellationToken cancellationToken) =>
        leases.TryAcquireAsync(Grain(name), mode, int.MaxValue, timeout, options, cancellationToken);

    private IReaderWriterLockGrain Grain(string name) => leases.GetGrain<IReaderWriterLockGrain>(name);
}
