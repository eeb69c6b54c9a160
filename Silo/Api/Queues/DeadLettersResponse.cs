namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>GET /v1/queues/{queue}/dead-letters</c> answer.</summary>
internal sealed record DeadLettersResponse(IReadOnlyList<DeadLetterResponse> DeadLetters);
