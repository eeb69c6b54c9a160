namespace OrleansSync.Tests.Hashing;

/// <summary>A non-string node type for the ring tests; its id is host:port.</summary>
internal sealed record CacheServer(string Host, int Port)
{
    public string Id => $"{Host}:{Port}";
}
