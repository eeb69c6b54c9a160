namespace OrleansSync.Benchmarks.Queues;

/// <summary>A message queue measured by <see cref="QueueBenchmark"/>: OrleansSync or a peer.</summary>
internal interface IQueueBackend : IAsyncDisposable
{
    string Name { get; }

    /// <summary>
    /// Creates <paramref name="queue"/> if needed and starts <paramref name="consumers"/> consumers, each with a prefetch of
    /// 100, that call <paramref name="onMessage"/> with every body and then acknowledge it. Dispose to stop them.
    /// </summary>
    Task<IAsyncDisposable> StartConsumersAsync(string queue, int consumers, Action<ReadOnlySpan<byte>> onMessage);

    /// <summary>A producer of its own (connection, channel or client state) for one publishing loop.</summary>
    Task<IQueueProducer> CreateProducerAsync(string queue);
}
