using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;

namespace OrleansSync.Benchmarks.Queues;

/// <summary>
/// OrleansSync through the .NET client (<see cref="IQueueService"/>) connected to a running silo's gateway: publishes a
/// batch in one <see cref="IQueueService.PublishAsync"/> (answered once stored), consumes with push subscriptions
/// (prefetch 100, acks sent in batches as handlers return). Messages carry neither key nor id, so the broker gives a
/// batch ids of one partition (one append per publish; the next publish goes to the next partition).
/// </summary>
internal sealed class OrleansSyncQueueBackend(string name, IHost host) : IQueueBackend
{
    private readonly IQueueService _queues = host.Services.GetRequiredService<IQueueService>();

    public string Name { get; } = name;

    public static async Task<OrleansSyncQueueBackend> ConnectAsync(string name, string gateway)
    {
        var host = await BenchmarkClientHost.ConnectAsync(gateway).ConfigureAwait(false);
        return new OrleansSyncQueueBackend(name, host);
    }

    public async Task<IAsyncDisposable> StartConsumersAsync(string queue, int consumers, Action<ReadOnlySpan<byte>> onMessage)
    {
        var subscriptions = new List<IQueueSubscription>();
        for (var i = 0; i < consumers; i++)
        {
            subscriptions.Add(await _queues.SubscribeAsync(
                queue,
                "bench",
                (delivery, _) =>
                {
                    onMessage(delivery.Body);
                    return Task.CompletedTask;
                },
                new QueueSubscriptionOptions { ConsumerId = string.Create(CultureInfo.InvariantCulture, $"bench-{i}"), Prefetch = 100 }).ConfigureAwait(false));
        }

        return new Subscriptions(subscriptions);
    }

    public Task<IQueueProducer> CreateProducerAsync(string queue) => Task.FromResult<IQueueProducer>(new Producer(_queues, queue));

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }

    private sealed class Producer(IQueueService queues, string queue) : IQueueProducer
    {
        public Task PublishAsync(IReadOnlyList<byte[]> bodies) =>
            queues.PublishAsync(queue, bodies.Select(b => new QueueMessage(null, null, b)).ToList());

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Subscriptions(List<IQueueSubscription> subscriptions) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
