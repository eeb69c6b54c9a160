namespace OrleansSync.Silo.Api.Locks;

/// <summary>200 answer of <c>GET /v1/elections/{name}</c>: leader and term are null when nobody leads.</summary>
internal sealed record LeaderResponse(string Name, string? Leader, long? Term, DateTimeOffset? LeaseExpiresAt, long LastTerm, int Candidates);
