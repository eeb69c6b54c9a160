namespace OrleansSync.Silo.Api.Queues;

/// <summary>Messages handed out by a receive.</summary>
internal sealed record ReceiveResponse(IReadOnlyList<QueueMessageResponse> Messages);
