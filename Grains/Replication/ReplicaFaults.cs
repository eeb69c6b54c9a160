using Orleans.Runtime;

namespace OrleansSync.Replication;

/// <summary>Which failures of a call to a copy mean "that copy is not reachable now" (try another or fail over) rather than a bad request.</summary>
internal static class ReplicaFaults
{
    /// <summary>True for a dead or unreachable silo, a timeout, a copy refusing for lack of peers, or its storage failing.</summary>
    public static bool IsUnreachable(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or ReplicaUnavailableException
            or Orleans.Storage.InconsistentStateException or Npgsql.NpgsqlException;
}
