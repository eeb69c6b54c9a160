using System.Text;
using Microsoft.AspNetCore.Mvc;
using OrleansSync.Replication;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary>
/// The replication routes of API.md. Input is checked here first (400 naming the field, 413 for a value over 1 MiB);
/// the group grain checks again for other callers. Unknown group or key → 404, version mismatch → 409, too few copies → 503.
/// </summary>
internal static class ReplicaEndpoints
{
    public static IEndpointRouteBuilder MapReplicaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPut("/v1/replicas/{group}", ConfigureAsync);
        endpoints.MapGet("/v1/replicas/{group}", GetStatusAsync);
        endpoints.MapPut("/v1/replicas/{group}/keys/{key}", SetAsync);
        endpoints.MapGet("/v1/replicas/{group}/keys/{key}", GetAsync);
        endpoints.MapDelete("/v1/replicas/{group}/keys/{key}", DeleteAsync);
        return endpoints;
    }

    private static async Task<IResult> ConfigureAsync(string group, ConfigureGroupBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!RouteName.TryRead(group, "group", out var name, out var problem))
        {
            return problem!;
        }

        if (!ReplicaWireNames.TryParseMode(body?.Mode, out var mode))
        {
            return ApiProblem.Invalid("mode", "mode must be \"primary-backup\" or \"multi-primary\".");
        }

        var replicas = body?.Replicas ?? ReplicaLimits.DefaultReplicas;
        if (replicas is < ReplicaLimits.MinReplicas or > ReplicaLimits.MaxReplicas)
        {
            return ApiProblem.Invalid("replicas", $"replicas must be {ReplicaLimits.MinReplicas}–{ReplicaLimits.MaxReplicas}.");
        }

        return await CallAsync(async () => Results.Ok(GroupStatusResponse.From(
            await Group(grains, name).Configure(mode, replicas, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
    }

    private static async Task<IResult> GetStatusAsync(string group, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!RouteName.TryRead(group, "group", out var name, out var problem))
        {
            return problem!;
        }

        return await CallAsync(async () => Results.Ok(GroupStatusResponse.From(
            await Group(grains, name).GetStatus(cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
    }

    private static async Task<IResult> SetAsync(string group, string key, SetValueBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadNames(group, key, out var groupName, out var keyName, out var problem))
        {
            return problem!;
        }

        if (body?.Value is not { } json)
        {
            return ApiProblem.Invalid("value", "value is required (any JSON value).");
        }

        var value = Encoding.UTF8.GetBytes(json.GetRawText());
        if (value.Length > ReplicaLimits.MaxValueBytes)
        {
            return ApiProblem.TooLarge($"value is {value.Length} bytes; the limit is {ReplicaLimits.MaxValueBytes}.");
        }

        if (!TryReadWrite(body.Write, body.ExpectedVersion, out var write, out problem))
        {
            return problem!;
        }

        return await CallAsync(async () =>
        {
            var result = await Group(grains, groupName).Set(keyName, value, write, body.ExpectedVersion, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new WriteResponse(result.Version, result.Acks));
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> GetAsync(string group, string key, [FromQuery] string? read, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadNames(group, key, out var groupName, out var keyName, out var problem))
        {
            return problem!;
        }

        if (!ReplicaWireNames.TryParseRead(read, out var consistency))
        {
            return ApiProblem.Invalid("read", "read must be \"primary\", \"any\" or \"majority\".");
        }

        return await CallAsync(async () =>
        {
            var result = await Group(grains, groupName).Get(keyName, consistency, cancellationToken).ConfigureAwait(false);
            return result is { Found: true, Value: { } value }
                ? Results.Ok(ValueResponse.From(value, result.Version))
                : ApiProblem.NotFound($"Key '{keyName}' does not exist in replica group '{groupName}'.");
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> DeleteAsync(
        string group, string key, [FromQuery] string? write, [FromQuery] long? expectedVersion, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadNames(group, key, out var groupName, out var keyName, out var problem))
        {
            return problem!;
        }

        if (!TryReadWrite(write, expectedVersion, out var consistency, out problem))
        {
            return problem!;
        }

        return await CallAsync(async () =>
        {
            var result = await Group(grains, groupName).Delete(keyName, consistency, expectedVersion, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new WriteResponse(result.Version, result.Acks));
        }).ConfigureAwait(false);
    }

    internal static bool TryReadNames(string group, string key, out string groupName, out string keyName, out IResult? problem)
    {
        keyName = "";
        return RouteName.TryRead(group, "group", out groupName, out problem)
            && RouteName.TryRead(key, "key", out keyName, out problem);
    }

    internal static bool TryReadWrite(string? write, long? expectedVersion, out WriteConsistency consistency, out IResult? problem)
    {
        problem = null;
        if (!ReplicaWireNames.TryParseWrite(write, out consistency))
        {
            problem = ApiProblem.Invalid("write", "write must be \"one\", \"majority\" or \"all\".");
            return false;
        }

        if (expectedVersion is < 0)
        {
            problem = ApiProblem.Invalid("expectedVersion", "expectedVersion must be 0 (the key must not exist) or a version.");
            return false;
        }

        return true;
    }

    /// <summary>Maps the typed replication errors to the contract's status codes.</summary>
    internal static async Task<IResult> CallAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ReplicaGroupNotFoundException ex)
        {
            return ApiProblem.NotFound(ex.Message);
        }
        catch (ReplicaVersionConflictException ex)
        {
            return ApiProblem.Conflict(ex.Message);
        }
        catch (ReplicaUnavailableException ex)
        {
            return ApiProblem.Unavailable(ex.Message);
        }
        catch (ArgumentException ex)
        {
            // Validated above; what remains comes from the group (a mode or count that differs from the existing group's).
            return ApiProblem.Invalid(FieldOf(ex), ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>The parameter an exception names; its ParamName does not cross the grain boundary, its message does.</summary>
    private static string FieldOf(ArgumentException ex)
    {
        if (ex.ParamName is { Length: > 0 } name)
        {
            return name;
        }

        const string marker = "(Parameter '";
        var at = ex.Message.LastIndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? "body" : ex.Message[(at + marker.Length)..].TrimEnd(')', '\'');
    }

    private static IReplicaGroupGrain Group(IGrainFactory grains, string group) => grains.GetGrain<IReplicaGroupGrain>(group);
}
