using System.Collections.Concurrent;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>What <see cref="RecordingQueueHandler"/> saw.</summary>
internal sealed class HandledMessages
{
    private readonly ConcurrentQueue<QueueDelivery> _messages = new();

    public IReadOnlyCollection<QueueDelivery> All => _messages;

    public void Add(QueueDelivery message) => _messages.Enqueue(message);
}
