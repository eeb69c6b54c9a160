namespace OrleansSync.Replication;

/// <summary>
/// The answer to one write of a batch (<see cref="IReplicaGroupGrain.WriteBatch"/>): exactly one of
/// <paramref name="Result"/> (acknowledged) and <paramref name="Error"/> (what <see cref="IReplicaGroupGrain.Set"/> or
/// <see cref="IReplicaGroupGrain.Delete"/> would have thrown for it alone).
/// </summary>
/// <param name="Result">The acknowledged write, or null.</param>
/// <param name="Error">The write's failure, or null.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaWriteOutcome")]
public sealed record ReplicaWriteOutcome([property: Id(0)] ReplicaWriteResult? Result, [property: Id(1)] Exception? Error);
