using Orleans.Metadata;
using OrleansSync.Hashing;

namespace OrleansSync.Silo.Api.Cluster;

/// <summary>
/// <c>GET /v1/cluster</c>: the silos in the membership table and how many grain activations
/// (placements) each one holds, in total and per OrleansSync grain type, and how many activations of
/// <c>[ConsistentHashPlacement]</c> grains (any assembly) it hosts.
/// </summary>
internal static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/cluster", GetClusterAsync);
        return endpoints;
    }

    private static async Task<IResult> GetClusterAsync(IGrainFactory grains, IClusterManifestProvider manifest)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false).ConfigureAwait(false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetSimpleGrainStatistics(active).ConfigureAwait(false);

        var silos = hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new ClusterSilo(h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), h.StartTime))
            .ToArray();

        var ringPlaced = ConsistentHashGrainClasses(manifest);
        var placements = statistics
            .GroupBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(g => (
                Silo: g.Key,
                Own: g.Where(s => s.GrainType.StartsWith("OrleansSync.", StringComparison.Ordinal)).ToArray(),
                Ring: g.Where(s => IsRingPlaced(s.GrainType, ringPlaced)).Sum(s => s.ActivationCount)))
            .Where(x => x.Own.Length > 0 || x.Ring > 0)
            .ToDictionary(
                x => x.Silo,
                x => new SiloPlacements(
                    x.Own.Sum(s => s.ActivationCount),
                    x.Own.GroupBy(s => s.GrainType, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Sum(s => s.ActivationCount), StringComparer.Ordinal),
                    x.Ring),
                StringComparer.Ordinal);

        return Results.Ok(new ClusterView(silos, placements));
    }

    /// <summary>The .NET full names of the grain classes placed with <see cref="ConsistentHashPlacement"/>, from the cluster manifest.</summary>
    internal static HashSet<string> ConsistentHashGrainClasses(IClusterManifestProvider manifest) =>
        manifest.Current.AllGrainManifests
            .SelectMany(m => m.Grains.Values)
            .Where(g => g.Properties.TryGetValue(WellKnownGrainTypeProperties.PlacementStrategy, out var strategy) && strategy == nameof(ConsistentHashPlacement))
            .Select(g => g.Properties.TryGetValue(WellKnownGrainTypeProperties.FullTypeName, out var name) ? name : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    // Activation statistics name a grain class by its runtime type name: the full name, then ",assembly".
    internal static bool IsRingPlaced(string grainType, HashSet<string> classes)
    {
        var comma = grainType.IndexOf(',', StringComparison.Ordinal);
        return classes.Contains(comma < 0 ? grainType : grainType[..comma]);
    }
}
