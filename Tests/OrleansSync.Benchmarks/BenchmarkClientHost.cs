using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSync.Benchmarks;

/// <summary>The OrleansSync .NET client as every benchmark mode starts it: a host with <c>AddOrleansSyncClient</c>, warnings only.</summary>
internal static class BenchmarkClientHost
{
    /// <summary>Connects through a static gateway, or through the membership table when <paramref name="connectionString"/> is set.</summary>
    public static async Task<IHost> ConnectAsync(string? gateway, string? connectionString = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOrleansSyncClient(o =>
        {
            o.ConnectionString = connectionString;
            if (gateway is not null)
            {
                o.Gateways.Clear();
                o.Gateways.Add(gateway);
            }
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }
}
