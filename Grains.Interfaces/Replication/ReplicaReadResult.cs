namespace OrleansSync.Replication;

/// <summary>A read of one key.</summary>
/// <param name="Found">Whether the key exists (false for a key never written or deleted).</param>
/// <param name="Value">The value; null when not found.</param>
/// <param name="Version">The key's version (0 when never written; a deleted key keeps the version of its delete).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaReadResult")]
public sealed record ReplicaReadResult([property: Id(0)] bool Found, [property: Id(1)] byte[]? Value, [property: Id(2)] long Version)
{
    /// <summary>A key that was never written.</summary>
    public static ReplicaReadResult Missing { get; } = new(false, null, 0);
}
