using System.Collections.Concurrent;

namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// Hands what the consumer grains receive to the benchmark's counting callback of the running scenario. Stream keys
/// are <c>{queue}/{n}</c>, so the queue name before the slash finds the callback. A singleton of the in-process silo.
/// </summary>
internal sealed class AdoNetConsumerSink
{
    private readonly ConcurrentDictionary<string, Action<ReadOnlySpan<byte>>> _byQueue = new(StringComparer.Ordinal);

    public IDisposable Register(string queue, Action<ReadOnlySpan<byte>> onMessage)
    {
        if (!_byQueue.TryAdd(queue, onMessage))
        {
            throw new InvalidOperationException($"queue {queue} already has consumers");
        }

        return new Registration(this, queue);
    }

    public void Deliver(string streamKey, ReadOnlySpan<byte> body)
    {
        var slash = streamKey.LastIndexOf('/');
        if (slash > 0 && _byQueue.TryGetValue(streamKey[..slash], out var onMessage))
        {
            onMessage(body);
        }
    }

    private sealed class Registration(AdoNetConsumerSink sink, string queue) : IDisposable
    {
        public void Dispose() => sink._byQueue.TryRemove(queue, out _);
    }
}
