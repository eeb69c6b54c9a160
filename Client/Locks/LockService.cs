using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <inheritdoc cref="ILockService"/>
internal sealed class LockService(LeaseClient leases) : ILockService
{
    public Task<LeaseHandle?> TryAcquireAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default) =>
        leases.TryAcquireAsync(Grain(name), LeaseMode.Exclusive, 1, LeaseClient.ValidateTimeout(timeout, TimeSpan.Zero), options, cancellationToken);

    public async Task<LeaseHandle> AcquireAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wait = LeaseClient.ValidateTimeout(timeout, Timeout.InfiniteTimeSpan);
        return await leases.TryAcquireAsync(Grain(name), LeaseMode.Exclusive, 1, wait, options, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Lock '{name}' was not acquired within {wait}.");
    }

    public Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default) =>
        Grain(name).Describe().WaitAsync(cancellationToken);

    private ILockGrain Grain(string name) => leases.GetGrain<ILockGrain>(name);
}
