namespace OrleansSync.Replication;

/// <summary>Which copies a read asks.</summary>
public enum ReadConsistency
{
    /// <summary>The primary (the default): sees every acknowledged write.</summary>
    Primary = 0,

    /// <summary>One reachable copy: fastest, may be stale.</summary>
    Any = 1,

    /// <summary>A majority of copies; the answer is the highest version among them, so it includes every write acknowledged at majority.</summary>
    Majority = 2,
}
