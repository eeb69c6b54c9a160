using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Client.Locks;

namespace OrleansSync.Benchmarks.Locks;

/// <summary>OrleansSync through the .NET client (<see cref="ILockService"/>) connected to a running silo's gateway.</summary>
internal sealed class OrleansSyncLockBackend(string name, IHost host) : ILockBackend
{
    private readonly ILockService _locks = host.Services.GetRequiredService<ILockService>();
    private readonly LockOptions _options = new() { Owner = "bench", Lease = TimeSpan.FromSeconds(30) };

    public string Name { get; } = name;

    public static async Task<OrleansSyncLockBackend> ConnectAsync(string name, string gateway)
    {
        var host = await BenchmarkClientHost.ConnectAsync(gateway).ConfigureAwait(false);
        return new OrleansSyncLockBackend(name, host);
    }

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken) =>
        await _locks.AcquireAsync(name, Timeout.InfiniteTimeSpan, _options, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }
}
