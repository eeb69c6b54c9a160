using OrleansSync.Replication;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary><c>GET /v1/replicas/{group}</c>: mode, epoch and the copies (<c>replicas</c>), plus the primary's index and whether the copies sit on distinct silos.</summary>
internal sealed record GroupStatusResponse(string Group, string Mode, long Epoch, int Primary, bool DistinctSilos, IReadOnlyList<CopyStatusResponse> Replicas)
{
    public static GroupStatusResponse From(ReplicaGroupStatus status) =>
        new(status.Group, ReplicaWireNames.Mode(status.Mode), status.Epoch, status.Primary, status.DistinctSilos, status.Copies.Select(CopyStatusResponse.From).ToList());
}
