namespace OrleansSync.Replication;

/// <summary>A primary copy's answer to a write.</summary>
/// <param name="Status">Acknowledged or why not.</param>
/// <param name="Version">The write's version (Ok), or the key's current version (Conflict).</param>
/// <param name="Acks">Copies durably holding the write.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaCopyWriteOutcome")]
public sealed record ReplicaCopyWriteOutcome([property: Id(0)] ReplicaWriteStatus Status, [property: Id(1)] long Version, [property: Id(2)] int Acks);
