namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>POST …/groups/{group}/receive</c> body; defaults: max 10, waitMs 0, visibilityMs 30000.</summary>
internal sealed record ReceiveBody(string? Consumer, int? Max, int? WaitMs, int? VisibilityMs);
