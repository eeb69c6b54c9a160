namespace OrleansSync.Replication;

/// <summary>The bounds every replication entry point (client, HTTP, grain) enforces.</summary>
public static class ReplicaLimits
{
    /// <summary>Fewest copies in a group: 1.</summary>
    public const int MinReplicas = 1;

    /// <summary>Most copies in a group: 7.</summary>
    public const int MaxReplicas = 7;

    /// <summary>Copies when none is given: 3.</summary>
    public const int DefaultReplicas = 3;

    /// <summary>Largest value: 1 MiB. HTTP answers 413 beyond it.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Most changes one change-feed read answers: 1,000.</summary>
    public const int MaxChangesPerRead = 1000;

    /// <summary>Most writes in one batch call to a group (<see cref="IReplicaGroupGrain.WriteBatch"/>): 1,000.</summary>
    public const int MaxWritesPerBatch = 1000;
}
