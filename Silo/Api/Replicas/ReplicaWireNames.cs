using OrleansSync.Replication;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary>The HTTP names of modes, consistency levels and roles (API.md), both ways.</summary>
internal static class ReplicaWireNames
{
    public static bool TryParseMode(string? name, out ReplicationMode mode)
    {
        (var ok, mode) = name switch
        {
            null or "primary-backup" => (true, ReplicationMode.PrimaryBackup),
            "multi-primary" => (true, ReplicationMode.MultiPrimary),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParseWrite(string? name, out WriteConsistency write)
    {
        (var ok, write) = name switch
        {
            null or "majority" => (true, WriteConsistency.Majority),
            "one" => (true, WriteConsistency.One),
            "all" => (true, WriteConsistency.All),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParseRead(string? name, out ReadConsistency read)
    {
        (var ok, read) = name switch
        {
            null or "primary" => (true, ReadConsistency.Primary),
            "any" => (true, ReadConsistency.Any),
            "majority" => (true, ReadConsistency.Majority),
            _ => (false, default),
        };
        return ok;
    }

    public static string Mode(ReplicationMode mode) => mode == ReplicationMode.MultiPrimary ? "multi-primary" : "primary-backup";

    public static string Role(ReplicaRole role) => role switch
    {
        ReplicaRole.Primary => "primary",
        ReplicaRole.Backup => "backup",
        _ => "unreachable",
    };
}
