namespace OrleansSync.Silo.Api.Locks;

/// <summary>200 answer of acquire, renew and campaign.</summary>
internal sealed record LeaseGrantResponse(string Name, string Owner, long Token, DateTimeOffset LeaseExpiresAt, long LeaseMs, string Mode, string RequestId);
