using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansSync.Queues;

namespace OrleansSync.Client.Queues;

/// <summary>
/// A push subscription: one receive loop long-polls the broker while it has prefetch room, hands messages to
/// <see cref="QueueSubscriptionOptions.Concurrency"/> lanes (same key → same lane, so per-key order holds), and one acker
/// sends the settled receipts in batches. A heartbeat loop renews the lease while handlers are busy.
/// </summary>
internal sealed partial class QueueSubscription : IQueueSubscription
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly IQueueBrokerGrain _broker;
    private readonly Func<QueueDelivery, CancellationToken, Task> _handler;
    private readonly QueueSubscriptionOptions _options;
    private readonly TimeSpan _maxWaitPerCall;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _prefetch;
    private readonly Channel<QueueDelivery>[] _lanes;
    private readonly Channel<(string Receipt, bool Ack)> _settled = Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _stopHandlers = new();
    private Task _receiving = Task.CompletedTask;
    private Task _heartbeats = Task.CompletedTask;
    private Task _acking = Task.CompletedTask;
    private Task[] _handling = [];
    private int _roundRobin;
    private int _disposed;

    public QueueSubscription(IQueueBrokerGrain broker, string queue, string group, Func<QueueDelivery, CancellationToken, Task> handler, QueueSubscriptionOptions options, TimeSpan maxWaitPerCall, ILogger logger)
    {
        _maxWaitPerCall = maxWaitPerCall;
        _broker = broker;
        Queue = queue;
        Group = group;
        _handler = handler;
        _options = options;
        _logger = logger;
        ConsumerId = options.ResolveConsumerId();
        _prefetch = new SemaphoreSlim(options.Prefetch, options.Prefetch);
        _lanes = Enumerable.Range(0, options.Concurrency).Select(_ => Channel.CreateUnbounded<QueueDelivery>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
    }

    public string Queue { get; }

    public string Group { get; }

    public string ConsumerId { get; }

    public void Start()
    {
        _handling = _lanes.Select(lane => Task.Run(() => HandleLaneAsync(lane))).ToArray();
        _acking = Task.Run(AckLoopAsync);
        _heartbeats = Task.Run(HeartbeatLoopAsync);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopReceiving.CancelAsync().ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);

        // Handlers see the token cancelled; those that give up by throwing get their message requeued for the others.
        await _stopHandlers.CancelAsync().ConfigureAwait(false);
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_handling).ConfigureAwait(false);
        _settled.Writer.TryComplete();
        await _acking.ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        try
        {
            await _broker.Leave(Queue, Group, ConsumerId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogLeaveFailed(ex, Queue, Group, ConsumerId);
        }

        _stopHandlers.Dispose();
        _stopReceiving.Dispose();
        _prefetch.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var stopping = _stopReceiving.Token;
        while (!stopping.IsCancellationRequested)
        {
            var permits = 0;
            try
            {
                await _prefetch.WaitAsync(stopping).ConfigureAwait(false);
                permits = 1;
                while (permits < QueueLimits.MaxReceive && _prefetch.Wait(0))
                {
                    permits++;
                }

                var messages = await _broker.Receive(Queue, Group, ConsumerId, permits, _maxWaitPerCall, _options.Visibility, stopping).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    await LaneOf(message).Writer.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
                }

                ReleasePermits(permits - messages.Count);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                ReleasePermits(permits);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ReleasePermits(permits);
                LogReceiveFailed(ex, Queue, Group, ConsumerId);
                try
                {
                    await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleLaneAsync(Channel<QueueDelivery> lane)
    {
        await foreach (var message in lane.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var ack = true;
            try
            {
                await _handler(message, _stopHandlers.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ack = false;
                LogHandlerFailed(ex, Queue, Group, message.Id, message.DeliveryCount);
            }

            await _settled.Writer.WriteAsync((message.Receipt, ack)).ConfigureAwait(false);
        }
    }

    private async Task AckLoopAsync()
    {
        var reader = _settled.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var acks = new List<string>();
            var nacks = new List<string>();
            while (acks.Count + nacks.Count < QueueLimits.MaxReceipts && reader.TryRead(out var settled))
            {
                (settled.Ack ? acks : nacks).Add(settled.Receipt);
            }

            try
            {
                if (acks.Count > 0)
                {
                    await _broker.Ack(Queue, Group, acks).ConfigureAwait(false);
                }

                if (nacks.Count > 0)
                {
                    await _broker.Nack(Queue, Group, nacks, requeue: true).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The messages stay in flight and are redelivered after their visibility timeout (at least once).
                LogSettleFailed(ex, Queue, Group, acks.Count + nacks.Count);
            }
            finally
            {
                ReleasePermits(acks.Count + nacks.Count);
            }
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopReceiving.Token).ConfigureAwait(false))
            {
                try
                {
                    await _broker.Heartbeat(Queue, Group, ConsumerId).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogHeartbeatFailed(ex, Queue, Group, ConsumerId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private Channel<QueueDelivery> LaneOf(QueueDelivery message)
    {
        if (_lanes.Length == 1)
        {
            return _lanes[0];
        }

        if (message.Key is null)
        {
            return _lanes[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_lanes.Length)];
        }

        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(message.Key));
        return _lanes[(int)(hash % (ulong)_lanes.Length)];
    }

    private void ReleasePermits(int count)
    {
        if (count > 0)
        {
            _prefetch.Release(count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: receive for consumer {Consumer} failed; retrying")]
    private partial void LogReceiveFailed(Exception exception, string queue, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: handler failed for message {MessageId} (delivery {DeliveryCount}); nacking with requeue")]
    private partial void LogHandlerFailed(Exception exception, string queue, string group, string messageId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: settling {Count} message(s) failed; they will be redelivered after their visibility timeout")]
    private partial void LogSettleFailed(Exception exception, string queue, string group, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: heartbeat of consumer {Consumer} failed")]
    private partial void LogHeartbeatFailed(Exception exception, string queue, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: consumer {Consumer} could not leave; its lease will expire")]
    private partial void LogLeaveFailed(Exception exception, string queue, string group, string consumer);
}
