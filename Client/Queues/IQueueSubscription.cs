namespace OrleansSync.Client.Queues;

/// <summary>A running push subscription (see <see cref="IQueueService.SubscribeAsync"/>); dispose it to stop.</summary>
public interface IQueueSubscription : IAsyncDisposable
{
    /// <summary>The queue.</summary>
    string Queue { get; }

    /// <summary>The consumer group.</summary>
    string Group { get; }

    /// <summary>This consumer's id in the group.</summary>
    string ConsumerId { get; }
}
