namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>ack</c>/<c>nack</c> body; <see cref="Requeue"/> (nack only) defaults to true.</summary>
internal sealed record ReceiptsBody(IReadOnlyList<string>? Receipts, bool? Requeue);
