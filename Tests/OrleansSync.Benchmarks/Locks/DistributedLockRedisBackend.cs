using Medallion.Threading;
using Medallion.Threading.Redis;
using StackExchange.Redis;

namespace OrleansSync.Benchmarks.Locks;

/// <summary>DistributedLock.Redis on one redis-server (SET NX PX; waiters poll with back-off).</summary>
internal sealed class DistributedLockRedisBackend : ILockBackend
{
    private readonly ConnectionMultiplexer _redis;
    private readonly RedisDistributedSynchronizationProvider _provider;

    private DistributedLockRedisBackend(ConnectionMultiplexer redis)
    {
        _redis = redis;
        _provider = new RedisDistributedSynchronizationProvider(redis.GetDatabase());
    }

    public string Name => "DistributedLock.Redis";

    public static async Task<DistributedLockRedisBackend> ConnectAsync(string configuration) =>
        new(await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken) =>
        await _provider.AcquireLockAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
