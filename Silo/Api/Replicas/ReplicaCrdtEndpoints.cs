using Microsoft.AspNetCore.Mvc;
using OrleansSync.Replication;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary>
/// Counters and sets of multi-primary groups (additions to API.md, next to the key routes): one PN-counter and one
/// add-wins OR-set per key, separate from the key's value. Bad input → 400 naming the field (a primary-backup group →
/// 400 naming <c>group</c>); unknown group → 404; too few copies → 503.
/// </summary>
internal static class ReplicaCrdtEndpoints
{
    public static IEndpointRouteBuilder MapReplicaCrdtEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/replicas/{group}/counters/{key}", ChangeCounterAsync);
        endpoints.MapGet("/v1/replicas/{group}/counters/{key}", GetCounterAsync);
        endpoints.MapPost("/v1/replicas/{group}/sets/{key}", ChangeSetAsync);
        endpoints.MapGet("/v1/replicas/{group}/sets/{key}", GetSetAsync);
        return endpoints;
    }

    private static async Task<IResult> ChangeCounterAsync(string group, string key, CounterChangeBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!ReplicaEndpoints.TryReadNames(group, key, out var groupName, out var keyName, out var problem))
        {
            return problem!;
        }

        var delta = body?.Delta ?? 1;
        if (delta is 0 or long.MinValue)
        {
            return ApiProblem.Invalid("delta", "delta must be a non-zero integer (negative subtracts).");
        }

        if (!ReplicaEndpoints.TryReadWrite(body?.Write, null, out var write, out problem))
        {
            return problem!;
        }

        return await ReplicaEndpoints.CallAsync(async () =>
        {
            var result = await Group(grains, groupName).AddToCounter(keyName, delta, write, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new WriteResponse(result.Version, result.Acks));
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> GetCounterAsync(string group, string key, [FromQuery] string? read, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadQuery(group, key, read, out var groupName, out var keyName, out var consistency, out var problem))
        {
            return problem!;
        }

        return await ReplicaEndpoints.CallAsync(async () =>
            Results.Ok(new CounterResponse(await Group(grains, groupName).GetCounter(keyName, consistency, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeSetAsync(string group, string key, SetChangeBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!ReplicaEndpoints.TryReadNames(group, key, out var groupName, out var keyName, out var problem))
        {
            return problem!;
        }

        var adding = body?.Add is { Count: > 0 };
        var removing = body?.Remove is { Count: > 0 };
        if (adding == removing)
        {
            return ApiProblem.Invalid("add", "Give exactly one of add and remove, a non-empty list of elements.");
        }

        var field = adding ? "add" : "remove";
        var elements = (adding ? body!.Add : body!.Remove)!;
        try
        {
            MultiPrimaryValidation.ValidateElements(elements);
        }
        catch (ArgumentException ex)
        {
            return ApiProblem.Invalid(field, ex.Message.Split(" (Parameter", 2)[0].Replace("elements", field, StringComparison.Ordinal));
        }

        if (!ReplicaEndpoints.TryReadWrite(body.Write, null, out var write, out problem))
        {
            return problem!;
        }

        return await ReplicaEndpoints.CallAsync(async () =>
        {
            var result = await Group(grains, groupName).UpdateSet(keyName, elements, remove: removing, write, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new WriteResponse(result.Version, result.Acks));
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> GetSetAsync(string group, string key, [FromQuery] string? read, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadQuery(group, key, read, out var groupName, out var keyName, out var consistency, out var problem))
        {
            return problem!;
        }

        return await ReplicaEndpoints.CallAsync(async () =>
            Results.Ok(new SetResponse(await Group(grains, groupName).GetSet(keyName, consistency, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
    }

    /// <summary>Names and the read consistency; a missing <c>read</c> means majority (there is no primary to read).</summary>
    private static bool TryReadQuery(string group, string key, string? read, out string groupName, out string keyName, out ReadConsistency consistency, out IResult? problem)
    {
        consistency = ReadConsistency.Majority;
        if (!ReplicaEndpoints.TryReadNames(group, key, out groupName, out keyName, out problem))
        {
            return false;
        }

        if (read is not null && !ReplicaWireNames.TryParseRead(read, out consistency))
        {
            problem = ApiProblem.Invalid("read", "read must be \"primary\", \"any\" or \"majority\".");
            return false;
        }

        return true;
    }

    private static IReplicaGroupGrain Group(IGrainFactory grains, string group) => grains.GetGrain<IReplicaGroupGrain>(group);
}
