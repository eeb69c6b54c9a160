using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <summary>
/// Distributed exclusive locks with fencing tokens and leases. Waiters are served FIFO and pushed the grant.
/// Names follow <see cref="Naming.ResourceName"/>: 1–256 characters of <c>[A-Za-z0-9._:/-]</c>.
/// </summary>
public interface ILockService
{
    /// <summary>Acquires <paramref name="name"/> within <paramref name="timeout"/> or returns null.</summary>
    /// <param name="name">The lock name.</param>
    /// <param name="timeout">How long to wait; null or zero = try once; <see cref="Timeout.InfiniteTimeSpan"/> = wait for ever.</param>
    /// <param name="options">Owner, lease and renewal; null = defaults (30 s lease renewed every 10 s).</param>
    /// <param name="cancellationToken">Cancels the wait and withdraws the request from the queue.</param>
    /// <returns>The handle, or null when not acquired within the timeout.</returns>
    /// <exception cref="ArgumentException">Invalid name or negative timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<LeaseHandle?> TryAcquireAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Acquires <paramref name="name"/>, waiting up to <paramref name="timeout"/> (null = for ever).</summary>
    /// <inheritdoc cref="TryAcquireAsync"/>
    /// <exception cref="TimeoutException">Not acquired within <paramref name="timeout"/>.</exception>
    Task<LeaseHandle> AcquireAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The current holder, queue length and last token of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Invalid name.</exception>
    Task<LeaseInfo> GetStatusAsync(string name, CancellationToken cancellationToken = default);
}
