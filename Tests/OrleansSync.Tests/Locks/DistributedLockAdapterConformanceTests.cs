using Medallion.Threading;
using OrleansSync.Client.Locks;
using OrleansSync.Client.Locks.DistributedLock;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>The conformance suite against the DistributedLock adapter (<see cref="IDistributedLockProvider"/>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedLockAdapterConformanceTests(ClusterFixture fixture) : LockConformanceTests
{
    private readonly IDistributedLockProvider _provider = Provider(fixture);

    protected override string Prefix => "conformance/adapter";

    internal static OrleansSyncDistributedSynchronizationProvider Provider(ClusterFixture fixture)
    {
        var leases = LockTestClients.Leases(fixture);
        return new OrleansSyncDistributedSynchronizationProvider(new LockService(leases), new SemaphoreService(leases), new ReaderWriterLockService(leases));
    }

    protected override async Task<ConformanceHandle?> TryAcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await _provider.CreateLock(name).TryAcquireAsync(timeout ?? default, cancellationToken) is { } h ? new ConformanceHandle(h, h.HandleLostToken) : null;

    protected override async Task<ConformanceHandle> AcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var h = await _provider.CreateLock(name).AcquireAsync(timeout, cancellationToken);
        return new ConformanceHandle(h, h.HandleLostToken);
    }
}
