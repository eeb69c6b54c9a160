namespace OrleansSync.Replication;

/// <summary>How a backup answered a batch of replicated writes.</summary>
public enum ReplicaApplyStatus
{
    /// <summary>Stored durably.</summary>
    Applied = 0,

    /// <summary>Rejected: the sender's epoch is older than one the copy accepted.</summary>
    StaleEpoch = 1,

    /// <summary>Rejected: the batch does not start where the copy ends; the sender must sync it first.</summary>
    OutOfOrder = 2,
}
