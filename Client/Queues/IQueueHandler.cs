using OrleansSync.Queues;

namespace OrleansSync.Client.Queues;

/// <summary>
/// Handles messages of a consumer registered with
/// <c>services.AddQueueConsumer&lt;THandler&gt;(queue, group)</c>. Resolved from a new DI scope per message.
/// Returning acks the message; throwing nacks it with requeue.
/// </summary>
public interface IQueueHandler
{
    /// <summary>Processes one message. Delivery is at least once: the same message may arrive again.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when the application stops while the handler runs.</param>
    Task HandleAsync(QueueDelivery message, CancellationToken cancellationToken);
}
