namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>POST /v1/queues/{queue}/messages</c> body.</summary>
internal sealed record PublishBody(IReadOnlyList<PublishMessageBody?>? Messages);
