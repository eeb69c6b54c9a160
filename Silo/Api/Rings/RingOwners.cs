namespace OrleansSync.Silo.Api.Rings;

/// <summary>The answer of <c>GET /v1/rings/{ring}/owners</c>: node ids, owner first.</summary>
internal sealed record RingOwners(IReadOnlyList<string> Owners);
