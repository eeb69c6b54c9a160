using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>Writes to one replica group of 3 copies through the .NET client at one write consistency.</summary>
internal sealed class ReplicaPutBackend(string name, IHost host, string group, WriteConsistency write) : IPutBackend
{
    private readonly IReplicaService _replicas = host.Services.GetRequiredService<IReplicaService>();

    public string Name { get; } = name;

    public WriteConsistency Write => write;

    /// <summary>Connects through a static gateway, or through the membership table when <paramref name="connectionString"/> is set.</summary>
    public static async Task<IHost> ConnectAsync(string? gateway, string? connectionString)
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

    public Task PutAsync(string key, byte[] value) => _replicas.SetAsync(group, key, value, write);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
