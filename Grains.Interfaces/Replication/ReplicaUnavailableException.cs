namespace OrleansSync.Replication;

/// <summary>
/// Not enough copies answered: a write was not held by the asked number of copies within the acknowledgement timeout (it
/// may still become durable later; retry with <c>expectedVersion</c> to make a retry safe), or a read or failover could
/// not reach a majority. Over HTTP this is a 503.
/// </summary>
[GenerateSerializer, Alias("OrleansSync.Replication.ReplicaUnavailableException")]
public sealed class ReplicaUnavailableException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ReplicaUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ReplicaUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ReplicaUnavailableException()
        : base("Not enough copies of the replica group answered.")
    {
    }
}
