namespace OrleansSync.Silo.Api.Locks;

/// <summary>200 answer of <c>GET /v1/locks|rwlocks|semaphores/{name}</c>; owner, token and leaseExpiresAt describe the first holder.</summary>
internal sealed record LeaseStatusResponse(
    string Name,
    bool Held,
    string? Owner,
    long? Token,
    DateTimeOffset? LeaseExpiresAt,
    int Waiters,
    long LastToken,
    int? Limit,
    IReadOnlyList<LeaseHolderResponse> Holders);
