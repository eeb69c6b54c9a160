namespace OrleansSync.Replication;

/// <summary>An acknowledged write.</summary>
/// <param name="Version">The key's new version (the write's place in the group-wide order).</param>
/// <param name="Acks">How many copies durably held the write when it was acknowledged (at least what the write consistency asked for).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaWriteResult")]
public sealed record ReplicaWriteResult([property: Id(0)] long Version, [property: Id(1)] int Acks);
