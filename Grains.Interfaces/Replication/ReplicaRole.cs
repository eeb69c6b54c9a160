namespace OrleansSync.Replication;

/// <summary>What a copy is doing in its group.</summary>
public enum ReplicaRole
{
    /// <summary>Orders and replicates the group's writes.</summary>
    Primary = 0,

    /// <summary>Receives the primary's writes in version order.</summary>
    Backup = 1,

    /// <summary>Did not answer (its silo is down or unreachable).</summary>
    Unreachable = 2,
}
