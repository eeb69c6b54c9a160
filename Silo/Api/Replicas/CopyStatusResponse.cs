using OrleansSync.Replication;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary>One copy in <c>GET /v1/replicas/{group}</c>.</summary>
internal sealed record CopyStatusResponse(int Index, string? Silo, string Role, long Version, long Lag, long Epoch)
{
    public static CopyStatusResponse From(ReplicaCopyStatus copy) =>
        new(copy.Index, copy.Silo, ReplicaWireNames.Role(copy.Role), copy.Version, copy.Lag, copy.Epoch);
}
