namespace OrleansSync.Replication;

/// <summary>One write of a batch a client sends to a group (<see cref="IReplicaGroupGrain.WriteBatch"/>).</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">At most <see cref="ReplicaLimits.MaxValueBytes"/> bytes; null deletes the key.</param>
/// <param name="Write">How many copies must hold it before its answer.</param>
/// <param name="ExpectedVersion">Null: unconditional. Otherwise the key's current version (0 = must not exist).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaWriteRequest")]
public sealed record ReplicaWriteRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] byte[]? Value,
    [property: Id(2)] WriteConsistency Write,
    [property: Id(3)] long? ExpectedVersion);
