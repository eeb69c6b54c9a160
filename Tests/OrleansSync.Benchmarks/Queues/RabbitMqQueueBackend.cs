using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace OrleansSync.Benchmarks.Queues;

/// <summary>
/// RabbitMQ through RabbitMQ.Client 7 on the default exchange: a channel per producer with publisher confirms (a batch is
/// published, then every confirm awaited), a channel per consumer with prefetch 100 and a manual ack per message.
/// Durable: durable queue and persistent messages; transient: neither (confirms and acks stay).
/// </summary>
internal sealed class RabbitMqQueueBackend : IQueueBackend
{
    private const ushort Prefetch = 100;
    private readonly IConnection _publishing;
    private readonly IConnection _consuming;
    private readonly bool _durable;

    private RabbitMqQueueBackend(string name, IConnection publishing, IConnection consuming, bool durable)
    {
        Name = name;
        _publishing = publishing;
        _consuming = consuming;
        _durable = durable;
    }

    public string Name { get; }

    /// <param name="name">Row label.</param>
    /// <param name="endpoint">host:port of the broker (guest/guest).</param>
    /// <param name="durable">Durable queue and persistent messages, or neither.</param>
    public static async Task<RabbitMqQueueBackend> ConnectAsync(string name, string endpoint, bool durable)
    {
        var parts = endpoint.Split(':');
        var factory = new ConnectionFactory
        {
            HostName = parts[0],
            Port = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5672,
            UserName = "guest",
            Password = "guest",
        };

        // Publishing and consuming on separate connections, as RabbitMQ advises (flow control blocks publishers only).
        var publishing = await factory.CreateConnectionAsync().ConfigureAwait(false);
        var consuming = await factory.CreateConnectionAsync().ConfigureAwait(false);
        return new RabbitMqQueueBackend(name, publishing, consuming, durable);
    }

    public async Task<IAsyncDisposable> StartConsumersAsync(string queue, int consumers, Action<ReadOnlySpan<byte>> onMessage)
    {
        var channels = new List<IChannel>();
        var setup = await _consuming.CreateChannelAsync().ConfigureAwait(false);
        channels.Add(setup);
        await setup.QueueDeclareAsync(queue, durable: _durable, exclusive: false, autoDelete: false).ConfigureAwait(false);
        for (var i = 0; i < consumers; i++)
        {
            var channel = await _consuming.CreateChannelAsync().ConfigureAwait(false);
            channels.Add(channel);
            await channel.BasicQosAsync(0, Prefetch, global: false).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                onMessage(delivery.Body.Span);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer).ConfigureAwait(false);
        }

        return new Consumers(queue, channels);
    }

    public async Task<IQueueProducer> CreateProducerAsync(string queue)
    {
        var channel = await _publishing.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true)).ConfigureAwait(false);
        return new Producer(channel, queue, new BasicProperties { Persistent = _durable });
    }

    public async ValueTask DisposeAsync()
    {
        await _publishing.CloseAsync().ConfigureAwait(false);
        await _consuming.CloseAsync().ConfigureAwait(false);
        _publishing.Dispose();
        _consuming.Dispose();
    }

    private sealed class Producer(IChannel channel, string queue, BasicProperties properties) : IQueueProducer
    {
        public async Task PublishAsync(IReadOnlyList<byte[]> bodies)
        {
            // With confirmation tracking each publish completes when its confirm arrives: start the whole batch, then await.
            var confirms = new List<ValueTask>(bodies.Count);
            foreach (var body in bodies)
            {
                confirms.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, body));
            }

            foreach (var confirm in confirms)
            {
                await confirm.ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await channel.CloseAsync().ConfigureAwait(false);
            channel.Dispose();
        }
    }

    private sealed class Consumers(string queue, List<IChannel> channels) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await channels[0].QueueDeleteAsync(queue).ConfigureAwait(false);
            foreach (var channel in channels)
            {
                await channel.CloseAsync().ConfigureAwait(false);
                channel.Dispose();
            }
        }
    }
}
