namespace OrleansSync.Client;

/// <summary>
/// The client could not reach any OrleansSync gateway within its configured connection attempts.
/// The message names the gateways (or the membership database) and the cluster it looked for.
/// </summary>
public sealed class OrleansSyncConnectionException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public OrleansSyncConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last connection error.</summary>
    public OrleansSyncConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public OrleansSyncConnectionException()
        : base("Could not connect to the OrleansSync cluster.")
    {
    }
}
