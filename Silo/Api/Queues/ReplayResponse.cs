namespace OrleansSync.Silo.Api.Queues;

/// <summary>How many dead letters went back to their group.</summary>
internal sealed record ReplayResponse(int Replayed);
