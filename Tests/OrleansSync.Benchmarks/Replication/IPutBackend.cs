namespace OrleansSync.Benchmarks.Replication;

/// <summary>Something that durably stores a key's value: a replica group at one write consistency, or etcd.</summary>
internal interface IPutBackend : IAsyncDisposable
{
    string Name { get; }

    Task PutAsync(string key, byte[] value);
}
