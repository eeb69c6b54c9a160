using Medallion.Threading;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Client.Locks.DistributedLock;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>What the DistributedLock adapter adds beyond the lock conformance suite.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedLockAdapterTests(ClusterFixture fixture)
{
    private readonly OrleansSyncDistributedSynchronizationProvider _provider = DistributedLockAdapterConformanceTests.Provider(fixture);

    [Fact]
    public async Task Names_the_library_allows_but_OrleansSync_does_not_are_hashed_consistently()
    {
        var name = $"my lock ü {Guid.NewGuid()}";
        var first = _provider.CreateLock(name);
        Assert.Equal(name, first.Name);

        await using var held = await first.AcquireAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await _provider.CreateLock(name).TryAcquireAsync());
        Assert.NotNull(await ReleasedAsync(await _provider.CreateLock(name + "x").TryAcquireAsync()));
        Assert.StartsWith("sha256:", DistributedLockNames.Map(name), StringComparison.Ordinal);
        Assert.Equal("plain/name", DistributedLockNames.Map("plain/name"));
        Assert.NotEqual("sha256:x", DistributedLockNames.Map("sha256:x"));
    }

    [Fact]
    public async Task Sync_acquire_and_dispose_work()
    {
        var name = $"adapter/sync/{Guid.NewGuid():N}";
        var handle = await Task.Run(() => _provider.CreateLock(name).Acquire(TimeSpan.FromSeconds(10)));
        Assert.Null(await Task.Run(() => _provider.CreateLock(name).TryAcquire()));
        await Task.Run(handle.Dispose);
        await using var again = await _provider.CreateLock(name).TryAcquireAsync();
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Semaphore_and_reader_writer_providers_work_and_the_handle_exposes_the_fencing_token()
    {
        var name = $"adapter/sem/{Guid.NewGuid():N}";
        IDistributedSemaphoreProvider semaphores = _provider;
        await using var a = await semaphores.CreateSemaphore(name, 2).AcquireAsync(TimeSpan.FromSeconds(10));
        await using var b = await semaphores.CreateSemaphore(name, 2).AcquireAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await semaphores.CreateSemaphore(name, 2).TryAcquireAsync());
        Assert.Throws<ArgumentOutOfRangeException>(() => semaphores.CreateSemaphore(name, 0));
        Assert.True(((OrleansSyncDistributedHandle)b).Lease.FencingToken > ((OrleansSyncDistributedHandle)a).Lease.FencingToken);

        var rwName = $"adapter/rw/{Guid.NewGuid():N}";
        IDistributedReaderWriterLockProvider rw = _provider;
        await using var r1 = await rw.CreateReaderWriterLock(rwName).AcquireReadLockAsync(TimeSpan.FromSeconds(10));
        await using var r2 = await rw.CreateReaderWriterLock(rwName).AcquireReadLockAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await rw.CreateReaderWriterLock(rwName).TryAcquireWriteLockAsync());
    }

    [Fact]
    public async Task One_registration_provides_the_library_interfaces()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IGrainFactory>(fixture.Client);
        services.AddOrleansSyncDistributedLock(o => o.Owner = "di-test");
        await using var provider = services.BuildServiceProvider();

        var locks = provider.GetRequiredService<IDistributedLockProvider>();
        Assert.Same(locks, provider.GetRequiredService<IDistributedSemaphoreProvider>());
        Assert.Same(locks, provider.GetRequiredService<IDistributedReaderWriterLockProvider>());
        await using var handle = await locks.CreateLock($"adapter/di/{Guid.NewGuid():N}").AcquireAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("di-test", ((OrleansSyncDistributedHandle)handle).Lease.Owner);
    }

    private static async Task<IDistributedSynchronizationHandle?> ReleasedAsync(IDistributedSynchronizationHandle? handle)
    {
        if (handle is not null)
        {
            await handle.DisposeAsync();
        }

        return handle;
    }
}
