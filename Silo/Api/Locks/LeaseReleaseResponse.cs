namespace OrleansSync.Silo.Api.Locks;

/// <summary>200 answer of release and resign.</summary>
internal sealed record LeaseReleaseResponse(string Name, long Token, bool Released);
