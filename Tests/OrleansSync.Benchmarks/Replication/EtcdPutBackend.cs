using dotnet_etcd;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>etcd puts through dotnet-etcd (a single etcd node: each put is fsynced to its WAL before it answers).</summary>
internal sealed class EtcdPutBackend(string endpoint) : IPutBackend
{
    /// <summary>The name of etcd's rows, the baseline of every ratio.</summary>
    public const string BackendName = "etcd put";

    private readonly EtcdClient _client = new(endpoint);

    public string Name => BackendName;

    public async Task PutAsync(string key, byte[] value) =>
        await _client.PutAsync(key, Convert.ToBase64String(value)).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
