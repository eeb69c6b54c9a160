namespace OrleansSync.Locks;

/// <summary>How a lease shares its name with other holders.</summary>
[GenerateSerializer, Alias("OrleansSync.Locks.LeaseMode")]
public enum LeaseMode
{
    /// <summary>The only holder: an exclusive lock, a writer, a leader.</summary>
    Exclusive = 0,

    /// <summary>One of several holders: a reader or a semaphore ticket.</summary>
    Shared = 1,
}
