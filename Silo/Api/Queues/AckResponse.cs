namespace OrleansSync.Silo.Api.Queues;

/// <summary>How many receipts settled a message; unknown or stale receipts are not counted (no error).</summary>
internal sealed record AckResponse(int Acked);
