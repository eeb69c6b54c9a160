namespace OrleansSync.Replication;

/// <summary>A replica group's persisted configuration: small, written on configuration and on failover only.</summary>
[GenerateSerializer, Alias("OrleansSync.Replication.ReplicaGroupState")]
internal sealed class ReplicaGroupState
{
    [Id(0)]
    public bool Configured { get; set; }

    [Id(1)]
    public ReplicationMode Mode { get; set; }

    [Id(2)]
    public int Replicas { get; set; }

    /// <summary>Raised (and written) before every failover, so it never goes back even if the failover is interrupted.</summary>
    [Id(3)]
    public long Epoch { get; set; }

    /// <summary>The primary copy's index for <see cref="Epoch"/>.</summary>
    [Id(4)]
    public int Primary { get; set; }
}
