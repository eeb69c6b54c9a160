using System.Globalization;
using OrleansSync.Hashing;

namespace OrleansSync.Silo.Api.Rings;

/// <summary>
/// <c>/v1/rings/{ring}</c>: rings of application nodes (<see cref="IHashRingGrain"/>), with each node's share and
/// the owners of a key computed here from the ring's snapshot (<see cref="HashRingLayout"/>).
/// </summary>
internal static class RingEndpoints
{
    /// <summary>The most owners one request may ask for.</summary>
    public const int MaxOwners = 100;

    public static IEndpointRouteBuilder MapRingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/v1/rings/{ring}/nodes/{node}", PutNodeAsync);
        endpoints.MapDelete("/v1/rings/{ring}/nodes/{node}", DeleteNodeAsync);
        endpoints.MapGet("/v1/rings/{ring}", GetRingAsync);
        endpoints.MapGet("/v1/rings/{ring}/owners", GetOwnersAsync);
        return endpoints;
    }

    private static async Task<IResult> PutNodeAsync(string ring, string node, RingNodeBody? body, IGrainFactory grains)
    {
        if (!RouteName.TryRead(ring, "ring", out var ringName, out var problem) || !RouteName.TryRead(node, "node", out var nodeId, out problem))
        {
            return problem!;
        }

        var weight = body?.Weight ?? 1;
        if (weight is < 1 or > HashRingLayout.MaxWeight)
        {
            return ApiProblem.Invalid("weight", $"weight must be 1 to {HashRingLayout.MaxWeight}.");
        }

        var snapshot = await grains.GetGrain<IHashRingGrain>(ringName).AddOrUpdateNode(nodeId, weight).ConfigureAwait(false);
        return Results.Ok(RingView.From(snapshot, RingLayoutCache.Get(snapshot)));
    }

    private static async Task<IResult> DeleteNodeAsync(string ring, string node, IGrainFactory grains)
    {
        if (!RouteName.TryRead(ring, "ring", out var ringName, out var problem) || !RouteName.TryRead(node, "node", out var nodeId, out problem))
        {
            return problem!;
        }

        var grain = grains.GetGrain<IHashRingGrain>(ringName);
        if (!(await grain.GetSnapshot().ConfigureAwait(false)).Exists)
        {
            return ApiProblem.NotFound($"ring {ringName} does not exist.");
        }

        var snapshot = await grain.RemoveNode(nodeId).ConfigureAwait(false);
        return Results.Ok(RingView.From(snapshot, RingLayoutCache.Get(snapshot)));
    }

    private static async Task<IResult> GetRingAsync(string ring, IGrainFactory grains)
    {
        if (!RouteName.TryRead(ring, "ring", out var ringName, out var problem))
        {
            return problem!;
        }

        var snapshot = await grains.GetGrain<IHashRingGrain>(ringName).GetSnapshot().ConfigureAwait(false);
        return snapshot.Exists
            ? Results.Ok(RingView.From(snapshot, RingLayoutCache.Get(snapshot)))
            : ApiProblem.NotFound($"ring {ringName} does not exist.");
    }

    private static async Task<IResult> GetOwnersAsync(string ring, string? key, string? n, IGrainFactory grains)
    {
        if (!RouteName.TryRead(ring, "ring", out var ringName, out var problem))
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(key))
        {
            return ApiProblem.Invalid("key", "key is required.");
        }

        if (key.Length > 4096)
        {
            return ApiProblem.Invalid("key", "key is longer than 4096 characters.");
        }

        var count = 1;
        if (n is not null && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxOwners))
        {
            return ApiProblem.Invalid("n", $"n must be a whole number from 1 to {MaxOwners}.");
        }

        var snapshot = await grains.GetGrain<IHashRingGrain>(ringName).GetSnapshot().ConfigureAwait(false);
        if (!snapshot.Exists)
        {
            return ApiProblem.NotFound($"ring {ringName} does not exist.");
        }

        var layout = RingLayoutCache.Get(snapshot);
        IReadOnlyList<string> owners = layout.Count == 0 ? [] : layout.GetPreferenceList(key, count);
        return Results.Ok(new RingOwners(owners));
    }
}
