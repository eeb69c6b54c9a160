namespace OrleansSync.Replication;

/// <summary>How the copies of a replica group accept writes.</summary>
public enum ReplicationMode
{
    /// <summary>One primary copy orders every write (group-wide versions, epochs on failover); the default.</summary>
    PrimaryBackup = 0,

    /// <summary>Every copy accepts writes; values are CRDTs merged by anti-entropy.</summary>
    MultiPrimary = 1,
}
