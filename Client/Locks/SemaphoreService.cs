using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <inheritdoc cref="ISemaphoreService"/>
internal sealed class SemaphoreService(LeaseClient leases) : ISemaphoreService
{
    public Task<LeaseHandle?> TryAcquireAsync(string name, int maxCount, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default) =>
        leases.TryAcquireAsync(Grain(name), LeaseMode.Shared, LeaseLimits.ValidateSemaphoreLimit(maxCount, nameof(maxCount)), LeaseClient.ValidateTimeout(timeout, TimeSpan.Zero), options, cancellationToken);

    public async Task<LeaseHandle> AcquireAsync(string name, int maxCount, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wait = LeaseClient.ValidateTimeout(timeout, Timeout.InfiniteTimeSpan);
        return await leases.TryAcquireAsync(Grain(name), LeaseMode.Shared, LeaseLimits.ValidateSemaphoreLimit(maxCount, nameof(maxCount)), wait, options, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Semaphore '{name}' was not acquired within {wait}.");
    }

    public Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default) =>
        Grain(name).Describe().WaitAsync(cancellationToken);

    private ISemaphoreGrain Grain(string name) => leases.GetGrain<ISemaphoreGrain>(name);
}
