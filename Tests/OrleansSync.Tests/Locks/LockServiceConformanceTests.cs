using OrleansSync.Client.Locks;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>The conformance suite against <see cref="ILockService"/>.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LockServiceConformanceTests(ClusterFixture fixture) : LockConformanceTests
{
    private readonly ILockService _locks = new LockService(LockTestClients.Leases(fixture));

    protected override string Prefix => "conformance/service";

    protected override async Task<ConformanceHandle?> TryAcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await _locks.TryAcquireAsync(name, timeout, cancellationToken: cancellationToken) is { } h ? new ConformanceHandle(h, h.HandleLostToken) : null;

    protected override async Task<ConformanceHandle> AcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var h = await _locks.AcquireAsync(name, timeout, cancellationToken: cancellationToken);
        return new ConformanceHandle(h, h.HandleLostToken);
    }
}
