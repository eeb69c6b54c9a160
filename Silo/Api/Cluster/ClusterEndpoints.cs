namespace OrleansSync.Silo.Api.Cluster;

/// <summary>
/// <c>GET /v1/cluster</c>: the silos in the membership table and how many grain activations
/// (placements) each one holds, in total and per OrleansSync grain type.
/// </summary>
internal static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/cluster", GetClusterAsync);
        return endpoints;
    }

    private static async Task<IResult> GetClusterAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false).ConfigureAwait(false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetSimpleGrainStatistics(active).ConfigureAwait(false);

        var silos = hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new ClusterSilo(h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), h.StartTime))
            .ToArray();

        var placements = statistics
            .Where(s => s.GrainType.StartsWith("OrleansSync.", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new SiloPlacements(
                    g.Sum(s => s.ActivationCount),
                    g.GroupBy(s => s.GrainType, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Sum(s => s.ActivationCount), StringComparer.Ordinal)),
                StringComparer.Ordinal);

        return Results.Ok(new ClusterView(silos, placements));
    }
}
