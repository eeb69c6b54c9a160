namespace OrleansSync.Silo.Api.Replicas;

/// <summary>A set read: the elements in ordinal order (empty if never written).</summary>
internal sealed record SetResponse(IReadOnlyList<string> Elements);
