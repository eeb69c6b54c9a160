using Medallion.Threading;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>A DistributedLock handle over a <see cref="LeaseHandle"/>: disposing releases it; <see cref="HandleLostToken"/> is the lease's.</summary>
public sealed class OrleansSyncDistributedHandle : IDistributedSynchronizationHandle
{
    internal OrleansSyncDistributedHandle(LeaseHandle lease) => Lease = lease;

    /// <summary>The underlying lease, with its <see cref="LeaseHandle.FencingToken"/>.</summary>
    public LeaseHandle Lease { get; }

    /// <inheritdoc/>
    public CancellationToken HandleLostToken => Lease.HandleLostToken;

    /// <summary>Releases the lease (errors are logged, not thrown).</summary>
    public ValueTask DisposeAsync() => Lease.DisposeAsync();

    /// <summary>Releases the lease synchronously (blocks on the release call).</summary>
    public void Dispose() => Lease.DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal static OrleansSyncDistributedHandle? Wrap(LeaseHandle? lease) => lease is null ? null : new OrleansSyncDistributedHandle(lease);
}
