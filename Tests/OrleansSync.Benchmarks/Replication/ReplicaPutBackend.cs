using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>Writes to one replica group of 3 copies through the .NET client at one write consistency.</summary>
internal sealed class ReplicaPutBackend(string name, IHost host, string group, WriteConsistency write) : IPutBackend
{
    private readonly IReplicaService _replicas = host.Services.GetRequiredService<IReplicaService>();

    public string Name { get; } = name;

    public WriteConsistency Write => write;

    public Task PutAsync(string key, byte[] value) => _replicas.SetAsync(group, key, value, write);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
