namespace OrleansSync.Silo.Api.Locks;

/// <summary>One holder in a status answer.</summary>
internal sealed record LeaseHolderResponse(string Owner, long Token, string Mode, DateTimeOffset LeaseExpiresAt);
