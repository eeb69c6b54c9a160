using System.Diagnostics;
using OrleansSync.Locks;

namespace OrleansSync.Silo.Api.Locks;

/// <summary>
/// Maps the lock routes of the public contract: <c>/v1/locks</c>, <c>/v1/rwlocks</c>, <c>/v1/semaphores</c> and
/// <c>/v1/elections</c>. An acquire that must wait loops bounded <see cref="ILeaseGrain.WaitForGrant"/> calls here,
/// and withdraws the request when the wait ends or the HTTP request is aborted.
/// </summary>
internal static class LeaseEndpoints
{
    private const long DefaultLeaseMs = 30_000;

    public static IEndpointRouteBuilder MapLeaseEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        MapKind(endpoints, "/v1/locks", LeaseRouteKind.Lock, "acquire", "release");
        MapKind(endpoints, "/v1/rwlocks", LeaseRouteKind.ReaderWriterLock, "acquire", "release");
        MapKind(endpoints, "/v1/semaphores", LeaseRouteKind.Semaphore, "acquire", "release");
        MapKind(endpoints, "/v1/elections", LeaseRouteKind.Election, "campaign", "resign");
        return endpoints;
    }

    private static void MapKind(IEndpointRouteBuilder endpoints, string prefix, LeaseRouteKind kind, string acquire, string release)
    {
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/{name}/" + acquire, (string name, LeaseAcquireBody? body, IGrainFactory grains, HttpContext http) =>
            AcquireAsync(kind, name, body, grains, http.RequestAborted));
        group.MapPost("/{name}/renew", (string name, LeaseTokenBody? body, IGrainFactory grains) => RenewAsync(kind, name, body, grains));
        group.MapPost("/{name}/" + release, (string name, LeaseTokenBody? body, IGrainFactory grains) => ReleaseAsync(kind, name, body, grains));
        group.MapGet("/{name}", (string name, IGrainFactory grains) => StatusAsync(kind, name, grains));
    }

    private static async Task<IResult> AcquireAsync(LeaseRouteKind kind, string rawName, LeaseAcquireBody? body, IGrainFactory grains, CancellationToken aborted)
    {
        if (!RouteName.TryRead(rawName, "name", out var name, out var problem))
        {
            return problem!;
        }

        if (body is null)
        {
            return ApiProblem.Invalid("body", "A JSON body with owner, leaseMs and waitMs is required.");
        }

        if (string.IsNullOrEmpty(body.Owner) || body.Owner.Length > LeaseLimits.MaxOwnerLength)
        {
            return ApiProblem.Invalid("owner", $"owner is required, 1–{LeaseLimits.MaxOwnerLength} characters.");
        }

        if (!TryLease(body.LeaseMs, out var lease, out problem))
        {
            return problem!;
        }

        var waitMs = body.WaitMs ?? 0;
        if (waitMs < 0 || waitMs > (long)LeaseLimits.MaxHttpWait.TotalMilliseconds)
        {
            return ApiProblem.Invalid("waitMs", $"waitMs must be between 0 and {LeaseLimits.MaxHttpWait.TotalMilliseconds:0}.");
        }

        var requestId = Guid.NewGuid();
        if (body.RequestId is not null && !Guid.TryParse(body.RequestId, out requestId))
        {
            return ApiProblem.Invalid("requestId", "requestId must be a GUID.");
        }

        if (requestId == Guid.Empty)
        {
            return ApiProblem.Invalid("requestId", "requestId must not be the empty GUID.");
        }

        var mode = LeaseMode.Exclusive;
        var limit = 1;
        switch (kind)
        {
            case LeaseRouteKind.ReaderWriterLock:
                if (body.Mode is not ("read" or "write"))
                {
                    return ApiProblem.Invalid("mode", "mode must be \"read\" or \"write\".");
                }

                mode = body.Mode == "read" ? LeaseMode.Shared : LeaseMode.Exclusive;
                limit = int.MaxValue;
                break;
            case LeaseRouteKind.Semaphore:
                if (body.Limit is not { } l || l < 1 || l > LeaseLimits.MaxSemaphoreLimit)
                {
                    return ApiProblem.Invalid("limit", $"limit is required, 1–{LeaseLimits.MaxSemaphoreLimit}.");
                }

                mode = LeaseMode.Shared;
                limit = l;
                break;
        }

        var grain = Grain(grains, kind, name);
        var wait = TimeSpan.FromMilliseconds(waitMs);
        var request = new LeaseRequest(requestId, body.Owner, mode, lease, limit, Wait: waitMs > 0);
        var clock = Stopwatch.StartNew();
        try
        {
            LeaseAcquireResult result;
            try
            {
                result = await grain.Acquire(request).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // Orleans does not carry ParamName across the wire; the only check left to the grain is the semaphore's limit in use.
                return ApiProblem.Invalid(ex.ParamName ?? (kind == LeaseRouteKind.Semaphore ? "limit" : "body"), ex.Message.Split(" (Parameter", 2)[0]);
            }

            while (true)
            {
                switch (result.Status)
                {
                    case LeaseAcquireStatus.Granted when result.Grant!.ClaimBy is null:
                        return Results.Ok(ToResponse(kind, result.Grant));
                    case LeaseAcquireStatus.Granted:
                        // A hand-off: claim it for the HTTP caller, unless that caller has gone (then give it back).
                        aborted.ThrowIfCancellationRequested();
                        if (await grain.Claim(result.Grant.Token).ConfigureAwait(false))
                        {
                            return Results.Ok(ToResponse(kind, result.Grant));
                        }

                        result = new LeaseAcquireResult(LeaseAcquireStatus.Unknown, null, -1);
                        break;
                    case LeaseAcquireStatus.Refused:
                        return ApiProblem.Locked($"'{name}' is held; not acquired (waitMs 0).");
                }

                var remaining = wait - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    await grain.Cancel(requestId).ConfigureAwait(false);
                    return ApiProblem.Locked($"'{name}' was not acquired within {waitMs} ms.");
                }

                result = result.Status == LeaseAcquireStatus.Unknown
                    ? await grain.Acquire(request).ConfigureAwait(false)
                    : await grain.WaitForGrant(requestId, remaining < LeaseLimits.MaxGrainWait ? remaining : LeaseLimits.MaxGrainWait, aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The HTTP client went away: withdraw the request so it does not hold up the queue.
            await grain.Cancel(requestId).ConfigureAwait(false);
            return Results.Empty;
        }
    }

    private static async Task<IResult> RenewAsync(LeaseRouteKind kind, string rawName, LeaseTokenBody? body, IGrainFactory grains)
    {
        if (!RouteName.TryRead(rawName, "name", out var name, out var problem))
        {
            return problem!;
        }

        if (body?.Token is not { } token)
        {
            return ApiProblem.Invalid("token", "token is required.");
        }

        if (!TryLease(body.LeaseMs, out var lease, out problem))
        {
            return problem!;
        }

        var grant = await Grain(grains, kind, name).Renew(token, lease).ConfigureAwait(false);
        return grant is null
            ? ApiProblem.Conflict($"Token {token} no longer holds '{name}' (expired, released or handed over).")
            : Results.Ok(ToResponse(kind, grant));
    }

    private static async Task<IResult> ReleaseAsync(LeaseRouteKind kind, string rawName, LeaseTokenBody? body, IGrainFactory grains)
    {
        if (!RouteName.TryRead(rawName, "name", out var name, out var problem))
        {
            return problem!;
        }

        if (body?.Token is not { } token)
        {
            return ApiProblem.Invalid("token", "token is required.");
        }

        var released = await Grain(grains, kind, name).Release(token).ConfigureAwait(false);
        return released
            ? Results.Ok(new LeaseReleaseResponse(name, token, true))
            : ApiProblem.Conflict($"Token {token} no longer holds '{name}' (expired, released or handed over).");
    }

    private static async Task<IResult> StatusAsync(LeaseRouteKind kind, string rawName, IGrainFactory grains)
    {
        if (!RouteName.TryRead(rawName, "name", out var name, out var problem))
        {
            return problem!;
        }

        var info = await Grain(grains, kind, name).Describe().ConfigureAwait(false);
        var first = info.Holders.Count > 0 ? info.Holders[0] : null;
        if (kind == LeaseRouteKind.Election)
        {
            return Results.Ok(new LeaderResponse(info.Name, first?.Owner, first?.Token, first?.ExpiresAt, info.LastToken, info.Waiters));
        }

        var holders = info.Holders.Select(h => new LeaseHolderResponse(h.Owner, h.Token, ModeName(kind, h.Mode), h.ExpiresAt)).ToList();
        return Results.Ok(new LeaseStatusResponse(
            info.Name, info.Held, first?.Owner, first?.Token, first?.ExpiresAt, info.Waiters, info.LastToken,
            kind == LeaseRouteKind.Semaphore ? info.Limit : null, holders));
    }

    private static bool TryLease(long? leaseMs, out TimeSpan lease, out IResult? problem)
    {
        var ms = leaseMs ?? DefaultLeaseMs;
        if (ms < (long)LeaseLimits.MinLease.TotalMilliseconds || ms > (long)LeaseLimits.MaxLease.TotalMilliseconds)
        {
            lease = default;
            problem = ApiProblem.Invalid("leaseMs", $"leaseMs must be between {LeaseLimits.MinLease.TotalMilliseconds:0} and {LeaseLimits.MaxLease.TotalMilliseconds:0}.");
            return false;
        }

        lease = TimeSpan.FromMilliseconds(ms);
        problem = null;
        return true;
    }

    private static ILeaseGrain Grain(IGrainFactory grains, LeaseRouteKind kind, string name) => kind switch
    {
        LeaseRouteKind.ReaderWriterLock => grains.GetGrain<IReaderWriterLockGrain>(name),
        LeaseRouteKind.Semaphore => grains.GetGrain<ISemaphoreGrain>(name),
        LeaseRouteKind.Election => grains.GetGrain<IElectionGrain>(name),
        _ => grains.GetGrain<ILockGrain>(name),
    };

    private static LeaseGrantResponse ToResponse(LeaseRouteKind kind, LeaseGrant grant) =>
        new(grant.Name, grant.Owner, grant.Token, grant.ExpiresAt, (long)grant.Lease.TotalMilliseconds, ModeName(kind, grant.Mode), grant.RequestId.ToString());

    /// <summary>Reader-writer locks speak of read and write; the others of exclusive and shared.</summary>
    private static string ModeName(LeaseRouteKind kind, LeaseMode mode) => (kind, mode) switch
    {
        (LeaseRouteKind.ReaderWriterLock, LeaseMode.Shared) => "read",
        (LeaseRouteKind.ReaderWriterLock, _) => "write",
        (_, LeaseMode.Shared) => "shared",
        _ => "exclusive",
    };
}
