using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// An application host with the OrleansSync client registered the way an app does it, connected to silos
/// started by a test: through the PostgreSQL membership table, or through one static gateway.
/// </summary>
public sealed class ClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ClientHost(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => _host.Services;

    /// <param name="connectionString">Find gateways in this database's membership table.</param>
    /// <param name="gateway">Or use this one gateway (host:port) only.</param>
    /// <param name="responseTimeout">
    /// Grain call timeout; crash tests shorten it so calls to a dead silo fail fast enough to retry. Default 10 s.
    /// </param>
    public static async Task<ClientHost> ConnectAsync(string? connectionString = null, string? gateway = null, TimeSpan? responseTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOrleansSyncClient(o =>
        {
            o.ConnectionString = connectionString;
            if (gateway is not null)
            {
                o.Gateways.Clear();
                o.Gateways.Add(gateway);
            }
        });
        builder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync();
        return new ClientHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
