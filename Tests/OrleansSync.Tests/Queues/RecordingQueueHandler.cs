using OrleansSync.Client.Queues;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>A scoped handler that records messages into the singleton <see cref="HandledMessages"/>.</summary>
internal sealed class RecordingQueueHandler(HandledMessages handled) : IQueueHandler
{
    public Task HandleAsync(QueueDelivery message, CancellationToken cancellationToken)
    {
        handled.Add(message);
        return Task.CompletedTask;
    }
}
