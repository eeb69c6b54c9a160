namespace OrleansSync.Silo.Api.Cluster;

/// <summary>The answer of <c>GET /v1/cluster</c>.</summary>
internal sealed record ClusterView(IReadOnlyList<ClusterSilo> Silos, IReadOnlyDictionary<string, SiloPlacements> Placement);
