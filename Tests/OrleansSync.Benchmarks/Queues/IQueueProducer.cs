namespace OrleansSync.Benchmarks.Queues;

/// <summary>One publishing loop's handle on a <see cref="IQueueBackend"/>.</summary>
internal interface IQueueProducer : IAsyncDisposable
{
    /// <summary>Publishes the bodies and returns once the backend confirmed every one of them (durably where the backend is durable).</summary>
    Task PublishAsync(IReadOnlyList<byte[]> bodies);
}
