using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <summary>Distributed counting semaphores: up to <c>maxCount</c> holders per name, each with its own fencing token and lease; FIFO waiters.</summary>
public interface ISemaphoreService
{
    /// <summary>Takes one of <paramref name="maxCount"/> tickets of <paramref name="name"/> within <paramref name="timeout"/>, or returns null.</summary>
    /// <param name="name">The semaphore name.</param>
    /// <param name="maxCount">The semaphore's size, 1–10,000; every user of the name must pass the same value while it is in use.</param>
    /// <param name="timeout">How long to wait; null or zero = try once; <see cref="Timeout.InfiniteTimeSpan"/> = for ever.</param>
    /// <param name="options">Owner, lease and renewal; null = defaults.</param>
    /// <param name="cancellationToken">Cancels the wait and withdraws the request.</param>
    /// <exception cref="ArgumentException">Invalid name, count or timeout, or a count different from the one in use.</exception>
    Task<LeaseHandle?> TryAcquireAsync(string name, int maxCount, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Takes a ticket, waiting up to <paramref name="timeout"/> (null = for ever).</summary>
    /// <inheritdoc cref="TryAcquireAsync"/>
    /// <exception cref="TimeoutException">Not acquired within <paramref name="timeout"/>.</exception>
    Task<LeaseHandle> AcquireAsync(string name, int maxCount, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Holders, queue length, count and last token of <paramref name="name"/>.</summary>
    Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default);
}
