using OrleansSync.Queues;

namespace OrleansSync.Silo.Api.Queues;

/// <summary>A dead letter on the wire.</summary>
internal sealed record DeadLetterResponse(string Group, string Reason, DateTimeOffset DeadLetteredAt, QueueMessageResponse Message)
{
    public static DeadLetterResponse From(QueueDeadLetter letter) =>
        new(letter.Group, letter.Reason, letter.DeadLetteredAt, QueueMessageResponse.From(letter.Message));
}
