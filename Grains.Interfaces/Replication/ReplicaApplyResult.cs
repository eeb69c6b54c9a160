namespace OrleansSync.Replication;

/// <summary>A backup's answer to a batch of replicated writes.</summary>
/// <param name="Status">Applied or why not.</param>
/// <param name="High">The highest version the copy now holds.</param>
/// <param name="PromisedEpoch">The highest epoch the copy accepted.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaApplyResult")]
public sealed record ReplicaApplyResult([property: Id(0)] ReplicaApplyStatus Status, [property: Id(1)] long High, [property: Id(2)] long PromisedEpoch);
