using System.Diagnostics;
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
/// <remarks>
/// Acks ride on the next receive (<see cref="IQueueBrokerGrain.AckAndReceive"/>: one round trip per consume cycle
/// instead of two): a handled message frees its prefetch permit at once and leaves its receipt for the receive loop,
/// which the freed permit wakes. Only while a receive is already under way (a long-poll) does the acker send them on
/// their own, so an ack never waits for a long-poll to end. Nacks are always sent on their own.
/// </remarks>
internal sealed partial class QueueSubscription : IQueueSubscription
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest a handled message's ack waits for the rest of its lane's batch before it is handed on.</summary>
    private static readonly TimeSpan AckHoldLimit = TimeSpan.FromMilliseconds(20);
    private readonly IQueueBrokerGrain _broker;
    private readonly Func<QueueDelivery, CancellationToken, Task> _handler;
    private readonly QueueSubscriptionOptions _options;
    private readonly TimeSpan _maxWaitPerCall;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _prefetch;
    private readonly Channel<List<QueueDelivery>>[] _lanes;
    private readonly Channel<(string Receipt, bool Ack)> _settled = Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _stopHandlers = new();
    private readonly Lock _ackGate = new();
    private List<string> _pendingAcks = [];
    private bool _receiveUnderWay;
    private Task _receiving = Task.CompletedTask;
    private Task _heartbeats = Task.CompletedTask;
    private Task _acking = Task.CompletedTask;
    private Task[] _handling = [];
    private int _roundRobin;

    /// <summary>Messages handed to lanes whose permits the lanes have not freed yet (handled acks not handed on, or still queued).</summary>
    private int _inLanes;
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
        _lanes = Enumerable.Range(0, options.Concurrency).Select(_ => Channel.CreateUnbounded<List<QueueDelivery>>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
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
                permits = 1 + TakeFreePermits(QueueLimits.MaxReceive - 1);
                permits += await AwaitLanePermitsAsync(permits).ConfigureAwait(false);

                var acks = TakePendingAcks(receiveStarts: true);
                IReadOnlyList<QueueDelivery> messages;
                try
                {
                    messages = acks.Count == 0
                        ? await _broker.Receive(Queue, Group, ConsumerId, permits, _maxWaitPerCall, _options.Visibility, stopping).ConfigureAwait(false)
                        : await _broker.AckAndReceive(Queue, Group, ConsumerId, acks, permits, _maxWaitPerCall, _options.Visibility, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (acks.Count > 0 && ex is not OutOfMemoryException)
                {
                    // Not known to be applied: the next receive (or, when stopping, the acker) carries them again; an
                    // ack applied twice settles once.
                    lock (_ackGate)
                    {
                        _pendingAcks.InsertRange(0, acks);
                    }

                    throw;
                }
                finally
                {
                    lock (_ackGate)
                    {
                        _receiveUnderWay = false;
                    }
                }

                await DispatchAsync(messages).ConfigureAwait(false);

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

    /// <summary>
    /// Hands a receive's messages to their lanes, one batch per lane: a lane sees the whole batch at once, so it cannot
    /// find itself empty half-way through a batch still being handed over and free a part of the permits early (which
    /// would start a small receive while the rest of the batch's permits wait for it to come back).
    /// </summary>
    private async Task DispatchAsync(IReadOnlyList<QueueDelivery> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _inLanes, messages.Count);

        if (_lanes.Length == 1)
        {
            await _lanes[0].Writer.WriteAsync([.. messages], CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var batches = new Dictionary<Channel<List<QueueDelivery>>, List<QueueDelivery>>();
        foreach (var message in messages)
        {
            var lane = LaneOf(message);
            if (!batches.TryGetValue(lane, out var batch))
            {
                batches[lane] = batch = [];
            }

            batch.Add(message);
        }

        foreach (var (lane, batch) in batches)
        {
            await lane.Writer.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task HandleLaneAsync(Channel<List<QueueDelivery>> lane)
    {
        // Acks of a lane are handed on together when the lane has nothing more queued (the batches receives brought are
        // done), or after AckHoldLimit with slow handlers: one receive then carries them all instead of each freed
        // permit starting a receive of its own.
        var held = 0;
        var heldSince = 0L;
        await foreach (var batch in lane.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var message = batch[i];
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

                if (!ack)
                {
                    await _settled.Writer.WriteAsync((message.Receipt, false)).ConfigureAwait(false);
                    Interlocked.Decrement(ref _inLanes);
                }
                else
                {
                    lock (_ackGate)
                    {
                        _pendingAcks.Add(message.Receipt);
                    }

                    if (held++ == 0)
                    {
                        heldSince = Stopwatch.GetTimestamp();
                    }
                }

                if (held > 0 && i < batch.Count - 1 && Stopwatch.GetElapsedTime(heldSince) >= AckHoldLimit)
                {
                    await HandOnAcksAsync(held).ConfigureAwait(false);
                    held = 0;
                }
            }

            if (held > 0 && (!lane.Reader.TryPeek(out _) || Stopwatch.GetElapsedTime(heldSince) >= AckHoldLimit))
            {
                await HandOnAcksAsync(held).ConfigureAwait(false);
                held = 0;
            }
        }
    }

    /// <summary>
    /// Frees the permits of <paramref name="count"/> acks just left pending: they wake the receive loop, whose next
    /// receive carries the acks. If a receive is already under way (it may be a long-poll), the acker sends them now.
    /// </summary>
    private async Task HandOnAcksAsync(int count)
    {
        // Counted out before the permits are freed, so a receive loop that sees no messages left in the lanes finds
        // their permits free (the other order could leave it waiting for permits it already took).
        Interlocked.Add(ref _inLanes, -count);
        bool receiveUnderWay;
        lock (_ackGate)
        {
            receiveUnderWay = _receiveUnderWay;
        }

        if (receiveUnderWay || _stopReceiving.IsCancellationRequested)
        {
            await _settled.Writer.WriteAsync(("", true)).ConfigureAwait(false);
        }

        ReleasePermits(count);
    }

    /// <summary>Takes the acks waiting for a carrier (at most one call's worth); with <paramref name="receiveStarts"/> marks a receive under way.</summary>
    private List<string> TakePendingAcks(bool receiveStarts)
    {
        lock (_ackGate)
        {
            _receiveUnderWay |= receiveStarts;
            if (_pendingAcks.Count <= QueueLimits.MaxReceipts)
            {
                var taken = _pendingAcks;
                _pendingAcks = [];
                return taken;
            }

            var first = _pendingAcks.GetRange(0, QueueLimits.MaxReceipts);
            _pendingAcks.RemoveRange(0, QueueLimits.MaxReceipts);
            return first;
        }
    }

    private async Task AckLoopAsync()
    {
        // Entries for acks only wake this loop: the receipts themselves are taken from the pending acks (a receive
        // may have carried them meanwhile). Nack permits are freed once the nack was sent.
        var reader = _settled.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var nacks = new List<string>();
            while (nacks.Count < QueueLimits.MaxReceipts && reader.TryRead(out var settled))
            {
                if (!settled.Ack)
                {
                    nacks.Add(settled.Receipt);
                }
            }

            await SendPendingAcksAsync().ConfigureAwait(false);
            try
            {
                if (nacks.Count > 0)
                {
                    await _broker.Nack(Queue, Group, nacks, requeue: true).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The messages stay in flight and are redelivered after their visibility timeout (at least once).
                LogSettleFailed(ex, Queue, Group, nacks.Count);
            }
            finally
            {
                ReleasePermits(nacks.Count);
            }
        }

        // Disposal: the receive loop has stopped, so whatever acks are left go on their own.
        await SendPendingAcksAsync().ConfigureAwait(false);
    }

    private async Task SendPendingAcksAsync()
    {
        for (var acks = TakePendingAcks(receiveStarts: false); acks.Count > 0; acks = TakePendingAcks(receiveStarts: false))
        {
            try
            {
                await _broker.Ack(Queue, Group, acks).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The messages stay in flight and are redelivered after their visibility timeout (at least once).
                LogSettleFailed(ex, Queue, Group, acks.Count);
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

    private Channel<List<QueueDelivery>> LaneOf(QueueDelivery message)
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

    private int TakeFreePermits(int most)
    {
        var taken = 0;
        while (taken < most && _prefetch.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>
    /// While the lanes still hold messages of earlier receives (their permits come free when the lane's batch is done),
    /// waits for those permits, at most <see cref="AckHoldLimit"/>: one receive then asks for them all and carries all
    /// their acks. Without this, a consumer whose prefetch was once split over two receives (e.g. while it owned two
    /// partitions) kept asking in halves, and the half whose acks were sent on their own while the other receive was
    /// under way often found the partition still full and came back empty — such a consumer ran at a fraction of its
    /// peers' rate. Answers the permits taken.
    /// </summary>
    private async Task<int> AwaitLanePermitsAsync(int permits)
    {
        var taken = 0;
        var since = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _inLanes) > 0 && permits + taken < QueueLimits.MaxReceive)
        {
            var left = AckHoldLimit - Stopwatch.GetElapsedTime(since);
            // Not cancelled by stopping: the wait is short, and a cancelled wait would lose the permits taken so far.
            if (left <= TimeSpan.Zero || !await _prefetch.WaitAsync(left).ConfigureAwait(false))
            {
                break;
            }

            taken++;
            taken += TakeFreePermits(QueueLimits.MaxReceive - permits - taken);
        }

        return taken;
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
