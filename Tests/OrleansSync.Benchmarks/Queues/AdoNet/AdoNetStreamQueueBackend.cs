using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// Orleans persistent streams on Microsoft.Orleans.Streaming.AdoNet (PostgreSQL, invariant <c>Npgsql</c>) in a silo
/// hosted by the benchmark process. A producer publishes a batch with one <c>OnNextBatchAsync</c>, which returns once
/// the provider's INSERT of the batch's row has committed. A scenario uses one stream per consumer, each on its own
/// provider queue (pulling agent); a producer rotates its batches over those streams, so one producer loads every
/// consumer as a keyless publish loads every partition of an OrleansSync queue. Consumers are implicitly subscribed
/// grains (<see cref="AdoNetBenchConsumerGrain"/>).
/// </summary>
internal sealed class AdoNetStreamQueueBackend(string name, IHost host, int queueCount) : IQueueBackend
{
    private readonly IClusterClient _client = host.Services.GetRequiredService<IClusterClient>();
    private readonly AdoNetConsumerSink _sink = host.Services.GetRequiredService<AdoNetConsumerSink>();
    private readonly HashRingBasedStreamQueueMapper _mapper =
        new(new HashRingStreamQueueMapperOptions { TotalQueueCount = queueCount }, AdoNetStreamNames.Provider);

    private readonly Dictionary<string, StreamId[]> _streamsByQueue = new(StringComparer.Ordinal);
    private int _producers;

    public string Name { get; } = name;

    /// <summary>
    /// Applies the benchmark's SQL to <paramref name="connectionString"/>'s database, empties its stream tables and
    /// starts a single-silo localhost cluster on <paramref name="siloPort"/>/<paramref name="gatewayPort"/> with
    /// <paramref name="queueCount"/> provider queues.
    /// </summary>
    public static async Task<AdoNetStreamQueueBackend> StartAsync(string name, string connectionString, int queueCount, int siloPort, int gatewayPort)
    {
        await AdoNetStreamSchema.ApplyAsync(connectionString).ConfigureAwait(false);
        await AdoNetStreamSchema.TruncateAsync(connectionString).ConfigureAwait(false);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<AdoNetConsumerSink>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: AdoNetStreamNames.ServiceId, clusterId: AdoNetStreamNames.ServiceId);
            silo.AddAdoNetStreams(AdoNetStreamNames.Provider, streams =>
            {
                streams.ConfigureAdoNet(options => options.Configure(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                }));
                // the provider's own default is 1 queue; OrleansSync queues default to 4 partitions
                streams.ConfigurePartitioning(queueCount);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new AdoNetStreamQueueBackend(name, host, queueCount);
    }

    public Task<IAsyncDisposable> StartConsumersAsync(string queue, int consumers, Action<ReadOnlySpan<byte>> onMessage)
    {
        lock (_streamsByQueue)
        {
            _streamsByQueue[queue] = PickStreams(queue, consumers);
        }

        // The grains activate with the first event of their stream (implicit subscription).
        return Task.FromResult<IAsyncDisposable>(new Consumers(_sink.Register(queue, onMessage)));
    }

    public Task<IQueueProducer> CreateProducerAsync(string queue)
    {
        StreamId[] ids;
        lock (_streamsByQueue)
        {
            ids = _streamsByQueue[queue];
        }

        var provider = _client.GetStreamProvider(AdoNetStreamNames.Provider);
        var streams = ids.Select(provider.GetStream<byte[]>).ToArray();
        return Task.FromResult<IQueueProducer>(new Producer(streams, Interlocked.Increment(ref _producers)));
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }

    /// <summary>
    /// One stream per consumer, keys chosen so that the streams land on distinct provider queues while there are enough
    /// queues (the hash ring would otherwise put some of them on one queue and leave another idle).
    /// </summary>
    private StreamId[] PickStreams(string queue, int consumers)
    {
        var picked = new List<StreamId>(consumers);
        var usedQueues = new HashSet<QueueId>();
        for (var n = 0; picked.Count < consumers; n++)
        {
            var id = StreamId.Create(AdoNetStreamNames.Namespace, string.Create(CultureInfo.InvariantCulture, $"{queue}/{n}"));
            if (usedQueues.Add(_mapper.GetQueueForStream(id)) || usedQueues.Count >= queueCount || n > 10_000)
            {
                picked.Add(id);
            }
        }

        return [.. picked];
    }

    private sealed class Producer(IAsyncStream<byte[]>[] streams, int start) : IQueueProducer
    {
        private int _next = start;

        public Task PublishAsync(IReadOnlyList<byte[]> bodies) =>
            streams[_next++ % streams.Length].OnNextBatchAsync(bodies);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Consumers(IDisposable registration) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            registration.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
