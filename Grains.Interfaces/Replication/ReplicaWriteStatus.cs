namespace OrleansSync.Replication;

/// <summary>How a primary copy answered a write.</summary>
public enum ReplicaWriteStatus
{
    /// <summary>Acknowledged by the asked number of copies.</summary>
    Ok = 0,

    /// <summary>The expected version did not match the key's version.</summary>
    Conflict = 1,

    /// <summary>The copy is not the primary of that epoch (it never was, was re-activated, or was deposed).</summary>
    NotPrimary = 2,

    /// <summary>Not enough copies held the write within the acknowledgement timeout (it may still become durable).</summary>
    Unavailable = 3,
}
