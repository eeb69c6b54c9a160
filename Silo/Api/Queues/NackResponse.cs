namespace OrleansSync.Silo.Api.Queues;

/// <summary>How many receipts matched a message in flight.</summary>
internal sealed record NackResponse(int Nacked);
