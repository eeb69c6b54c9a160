namespace OrleansSync.Replication;

/// <summary>How many copies must durably hold a write before it is acknowledged.</summary>
public enum WriteConsistency
{
    /// <summary>The primary alone. Fastest; the write is lost if the primary dies before a backup has it.</summary>
    One = 0,

    /// <summary>More than half of the copies, the primary among them (the default): survives the loss of any minority.</summary>
    Majority = 1,

    /// <summary>Every copy. A write waits (and fails with <see cref="ReplicaUnavailableException"/>) while any copy is down.</summary>
    All = 2,
}
