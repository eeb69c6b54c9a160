using Orleans.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IConsumerGroupPartitionGrain"/>
/// <remarks>
/// The <see cref="DeliveryBook"/> decides; this grain fetches messages from the partition (a read-ahead buffer filled by
/// the stream push or by reads), persists the book after every change and before answering — except acks and first
/// deliveries, which are persisted with the next change or by a flush timer <see cref="QueueOptions.DeliveryFlushDelay"/>
/// later (a crash in between only repeats a delivery) — and wakes waiting receivers.
/// If persisting or storing dead letters fails, the in-memory book may be ahead of storage, so the grain deactivates
/// and the next activation starts from what was stored (at worst a message is delivered again).
/// </remarks>
internal sealed partial class ConsumerGroupPartitionGrain(
    [PersistentState("consumer-group-partition", ProviderNames.GrainStorage)] IPersistentState<DeliveryBookState> state,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<ConsumerGroupPartitionGrain> logger) : Grain, IConsumerGroupPartitionGrain
{
    private const int ReadAhead = 500;
    // The read-ahead buffer, and apart from it the pushes kept past a gap, each hold messages up to these bounds; past
    // them pushes are dropped and the messages are read from the log later. Large enough that a backlog of thousands
    // of small messages stays in memory instead of being read back, small enough in bytes for large bodies.
    private const int MaxBuffered = 10_000;
    private const long MaxBufferedBytes = 8L * 1024 * 1024;

    /// <summary>Most messages one read asks for to close a gap before the pushes kept past it.</summary>
    private const int MaxGapRead = 1000;

    /// <summary>How often a waiting receive asks the partition for its end, in case a push was missed.</summary>
    private static readonly TimeSpan EndPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>A group-partition asked for messages within this long counts as consumed (see <see cref="GetProgress"/>).</summary>
    private static readonly TimeSpan ConsumingWindow = TimeSpan.FromSeconds(1);

    /// <summary>Messages from <see cref="DeliveryBook.NextOffset"/> on, contiguous, not yet handed out.</summary>
    private readonly MessageRun _buffer = new();

    /// <summary>
    /// Pushed messages past a gap after the buffer (contiguous among themselves): a read then only has to close the gap,
    /// after which they join the buffer and later pushes chain on again. Without them, a group-partition that missed
    /// some pushes (e.g. appends before it watched the partition) stayed behind the pushes and read everything from the
    /// log in small chunks for as long as its backlog lasted, far slower than its peers.
    /// </summary>
    private readonly MessageRun _ahead = new();

    /// <summary>Bodies of unsettled messages, so redelivery needs no read; refilled from the log after reactivation.</summary>
    private readonly Dictionary<long, StoredQueueMessage> _unsettled = [];

    private TaskCompletionSource _wake = NewWake();
    private DeliveryBook _book = null!;
    private IQueuePartitionGrain _partitionGrain = null!;
    private string _queue = "";
    private string _group = "";
    private int _partition;
    private long _knownEnd;

    /// <summary>When <see cref="_knownEnd"/> was last taken from the partition itself (a read or a watch), not from a push.</summary>
    private DateTimeOffset _endConfirmedAt;
    private int _ownerMaxInFlight;

    /// <summary>When a consumer last asked for messages here (<see cref="GetProgress"/> tells the publish hold).</summary>
    private DateTimeOffset _receivedAt = DateTimeOffset.MinValue;
    /// <summary>Acks or first deliveries applied in memory and not yet persisted.</summary>
    private bool _unpersisted;
    private IGrainTimer? _flush;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_queue, _group, _partition) = QueueKeys.ParseGroupPartition(this.GetPrimaryKeyString());
        _book = new DeliveryBook(Settings(), time, state.RecordExists ? state.State : null);
        _partitionGrain = GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(_queue, _partition));

        // Straight sends from the partition grain, the fast wake-up; the stream below stays as the second path.
        _knownEnd = await _partitionGrain.Watch(_group);
        _endConfirmedAt = time.GetUtcNow();

        // Explicit subscription: stored in the pub-sub store, so it must be resumed by every new activation.
        var stream = this.GetStreamProvider(ProviderNames.Streams).GetStream<QueuePartitionAppended>(QueueStreams.ForPartition(_queue, _partition));
        var handles = await stream.GetAllSubscriptionHandles();
        if (handles.Count == 0)
        {
            await stream.SubscribeAsync(OnAppendedAsync);
        }
        else
        {
            foreach (var handle in handles)
            {
                await handle.ResumeAsync(OnAppendedAsync);
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            // One-way: a lost unwatch only costs the partition a few sends that reactivate this grain.
            await _partitionGrain.Unwatch(_group);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnwatchFailed(ex, _queue, _group, _partition);
        }

        if (_unpersisted)
        {
            try
            {
                await PersistAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Those messages are delivered again after the next activation (at least once).
                LogMutationFailed(ex, _queue, _group, _partition);
            }
        }
    }

    public async Task<IReadOnlyList<QueueDelivery>> Receive(string consumer, long generation, int max, TimeSpan visibility, int maxInFlight)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(visibility, TimeSpan.Zero);

        _ownerMaxInFlight = maxInFlight;
        _receivedAt = time.GetUtcNow();
        var before = _book.Generation;
        if (!_book.Claim(consumer, generation))
        {
            return [];
        }

        return await MutateAsync(async () =>
        {
            // A claim, a dead letter and a redelivery (a higher delivery count, which MaxDeliveries relies on) are
            // persisted before answering; first deliveries only soon after (see QueueOptions.DeliveryFlushDelay).
            var durableNow = before != _book.Generation;
            durableNow |= await DeadLetterDueAsync();
            var deliveries = new List<QueueDelivery>();
            var capacity = Math.Min(max, _book.CapacityFor(consumer, maxInFlight));
            if (capacity > 0)
            {
                durableNow |= await RedeliverAsync(consumer, capacity, visibility, deliveries);
                var redelivered = deliveries.Count;
                await DeliverNewAsync(consumer, capacity - redelivered, visibility, deliveries);
                if (deliveries.Count > redelivered)
                {
                    await PersistSoonAsync();
                }
            }

            if (durableNow)
            {
                await PersistAsync();
            }

            return (IReadOnlyList<QueueDelivery>)deliveries;
        });
    }

    public async Task<IReadOnlyList<QueueDelivery>> AckAndReceive(
        IReadOnlyList<QueueReceipt> acks, string consumer, long generation, int max, TimeSpan visibility, int maxInFlight)
    {
        ArgumentNullException.ThrowIfNull(acks);
        if (acks.Count > 0)
        {
            await Ack(acks);
        }

        return await Receive(consumer, generation, max, visibility, maxInFlight);
    }

    public async Task<bool> WaitForMessages(string consumer, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Interleaves with everything: reads the book, never changes it (only raises the cached log end). A state change
        // in a normal turn completes _wake.
        var deadline = time.GetUtcNow() + timeout;
        var nextPoll = time.GetUtcNow() + EndPollInterval;
        while (true)
        {
            var wake = _wake.Task;
            if (_book.HasWorkFor(consumer, _knownEnd, _ownerMaxInFlight > 0 ? _ownerMaxInFlight : options.Value.MaxInFlightPerConsumer, out var nextChange))
            {
                return true;
            }

            var now = time.GetUtcNow();
            if (now >= deadline || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (now >= nextPoll)
            {
                // The stream push is only a wake-up and can miss (e.g. appends right after this activation subscribed,
                // before the stream provider delivers to the new subscriber): asking the partition for its end bounds
                // such a miss to one poll interval instead of the whole wait.
                nextPoll = now + EndPollInterval;
                _knownEnd = Math.Max(_knownEnd, await _partitionGrain.Watch(_group));
                _endConfirmedAt = time.GetUtcNow();
                continue;
            }

            var until = nextChange is { } change && change < deadline ? change : deadline;
            until = until < nextPoll ? until : nextPoll;
            var delay = until - now;
            await Task.WhenAny(wake, Task.Delay(delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay, time, cancellationToken));
        }
    }

    public Task<int> Ack(IReadOnlyList<QueueReceipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        return MutateAsync(async () =>
        {
            var acked = 0;
            foreach (var receipt in receipts)
            {
                if (receipt.Partition == _partition && _book.Ack(receipt))
                {
                    _unsettled.Remove(receipt.Offset);
                    acked++;
                }
            }

            if (acked > 0)
            {
                // Not persisted before answering: losing an ack in a crash only delivers the message again (at least
                // once). The next persisted change carries it, or the flush timer shortly after.
                await PersistSoonAsync();
                Wake();
            }

            return acked;
        });
    }

    public Task<int> Nack(IReadOnlyList<QueueReceipt> receipts, bool requeue)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        return MutateAsync(async () =>
        {
            var matched = 0;
            var dead = new List<DeadLetterRecord>();
            foreach (var receipt in receipts)
            {
                if (receipt.Partition == _partition && _book.Nack(receipt, requeue, out var deadLetter))
                {
                    matched++;
                    if (deadLetter is not null)
                    {
                        dead.Add(deadLetter);
                        _unsettled.Remove(deadLetter.Offset);
                    }
                }
            }

            if (dead.Count > 0)
            {
                await _partitionGrain.AddDeadLetters(_group, dead);
            }

            if (matched > 0)
            {
                await PersistAsync();
                Wake();
            }

            return matched;
        });
    }

    public Task Release(string consumer)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        return MutateAsync(async () =>
        {
            var ownerBefore = _book.Owner;
            var released = _book.Release(consumer);
            if (released > 0 || !string.Equals(ownerBefore, _book.Owner, StringComparison.Ordinal))
            {
                LogReleased(_queue, _group, _partition, consumer, released);
                await PersistAsync();
                Wake();
            }

            return 0;
        });
    }

    public Task<GroupPartitionStatus> GetStatus() =>
        Task.FromResult(new GroupPartitionStatus(_book.CommittedOffset, _book.SettledAboveCommitted, _book.InFlightCount));

    public Task<GroupPartitionProgress> GetProgress() =>
        Task.FromResult(new GroupPartitionProgress(_book.NextOffset, time.GetUtcNow() - _receivedAt < ConsumingWindow));

    public Task<int> ReplayDeadLetters(int max)
    {
        return MutateAsync(async () =>
        {
            var records = await _partitionGrain.ListDeadLetters(_group, Math.Clamp(max, 1, QueueLimits.MaxDeadLetterBatch));
            if (records.Count == 0)
            {
                return 0;
            }

            var replayed = _book.Replay(records.Select(r => r.Offset));
            await PersistAsync();

            // Removed only after the book holds them again: a crash in between leaves a record that a later replay
            // hands back once more (a duplicate delivery), never a lost message.
            await _partitionGrain.RemoveDeadLetters(_group, records.Select(r => r.Offset).ToList());
            Wake();
            return replayed.Count;
        });
    }

    public Task<long> Seek(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return MutateAsync(async () =>
        {
            _book.Seek(offset);
            _buffer.Clear();
            _ahead.Clear();
            _unsettled.Clear();
            await PersistAsync();
            LogSeek(_queue, _group, _partition, offset);
            Wake();
            return offset;
        });
    }

    public Task Appended(QueuePartitionAppended appended)
    {
        ArgumentNullException.ThrowIfNull(appended);
        return OnAppendedAsync(appended, null);
    }

    private async Task OnAppendedAsync(QueuePartitionAppended appended, StreamSequenceToken? token)
    {
        _knownEnd = Math.Max(_knownEnd, appended.EndOffset);
        DropStaleBuffer();
        foreach (var message in appended.Messages)
        {
            Offer(message);
        }

        Wake();
        await Task.CompletedTask;
    }

    private async Task<bool> DeadLetterDueAsync()
    {
        var dead = _book.TakeDeadLetters();
        if (dead.Count == 0)
        {
            return false;
        }

        foreach (var record in dead)
        {
            _unsettled.Remove(record.Offset);
        }

        LogDeadLettered(_queue, _group, _partition, dead.Count);
        await _partitionGrain.AddDeadLetters(_group, dead);
        return true;
    }

    /// <summary>Hands out messages waiting for redelivery; answers whether the book changed (then it must be persisted before answering).</summary>
    private async Task<bool> RedeliverAsync(string consumer, int capacity, TimeSpan visibility, List<QueueDelivery> deliveries)
    {
        var offsets = _book.RedeliverableOffsets(capacity);
        if (offsets.Count == 0)
        {
            return false;
        }

        var missing = offsets.Where(o => !_unsettled.ContainsKey(o)).ToList();
        if (missing.Count > 0)
        {
            foreach (var message in await _partitionGrain.ReadOffsets(missing))
            {
                _unsettled[message.Offset] = message;
            }
        }

        var lost = new List<DeadLetterRecord>();
        foreach (var offset in offsets)
        {
            if (_unsettled.TryGetValue(offset, out var message))
            {
                deliveries.Add(ToDelivery(message, _book.Deliver(_partition, offset, consumer, visibility)));
            }
            else
            {
                // Only the memory profile can lose log entries (a partition restarted elsewhere); without this the
                // offset would stay redeliverable for ever and keep receivers spinning.
                lost.Add(_book.Discard(offset, DeliveryBook.MissingReason));
            }
        }

        if (lost.Count > 0)
        {
            await _partitionGrain.AddDeadLetters(_group, lost);
        }

        return true;
    }

    private async Task DeliverNewAsync(string consumer, int capacity, TimeSpan visibility, List<QueueDelivery> deliveries)
    {
        var allowed = _book.NewOffsetsAllowed(capacity);
        if (allowed <= 0)
        {
            return;
        }

        DropStaleBuffer();

        // The log is read only when it is known to hold more than the buffer, or when its end was last confirmed by the
        // partition (not by a push) an end poll interval ago or more: a missed push then costs at most that interval, as
        // for a waiting receive, while a consumer that keeps up with pushes reads nothing (before, every receive that
        // found fewer buffered messages than it could take read the log, usually for nothing).
        JoinAhead();
        if (_buffer.Count < allowed && (_knownEnd > BufferEnd || time.GetUtcNow() - _endConfirmedAt >= EndPollInterval))
        {
            // With pushes kept past a gap, read only the gap (larger reads then close it in fewer round trips).
            var want = _ahead.TryPeek(out var ahead)
                ? (int)Math.Min(ahead.Offset - BufferEnd, MaxGapRead)
                : Math.Max(allowed - _buffer.Count, ReadAhead);
            var readAt = time.GetUtcNow();
            var read = await _partitionGrain.Read(BufferEnd, want);
            _knownEnd = Math.Max(_knownEnd, read.EndOffset);
            _endConfirmedAt = readAt;
            foreach (var message in read.Messages)
            {
                if (message.Offset == BufferEnd && HasBufferRoom)
                {
                    _buffer.Add(message);
                }
            }

            JoinAhead();
        }

        while (allowed > 0 && _buffer.TryPeek(out var next) && next.Offset == _book.NextOffset)
        {
            _buffer.TryTake(out _);
            _unsettled[next.Offset] = next;
            deliveries.Add(ToDelivery(next, _book.Deliver(_partition, next.Offset, consumer, visibility)));
            allowed--;
        }
    }

    /// <summary>The offset the next buffered message must have to keep the buffer contiguous.</summary>
    private long BufferEnd => _buffer.Count == 0 ? _book.NextOffset : _buffer.LastOffset + 1;

    private bool HasBufferRoom => _buffer.HasRoom(MaxBuffered, MaxBufferedBytes);

    /// <summary>
    /// Takes a pushed message: into the buffer if it continues it, past a gap into <see cref="_ahead"/> if it continues
    /// what is kept there (only while the buffer itself has room, so an unread group holds one bound, not two).
    /// </summary>
    private void Offer(StoredQueueMessage message)
    {
        JoinAhead();
        if (message.Offset == BufferEnd)
        {
            if (HasBufferRoom)
            {
                _buffer.Add(message);
            }

            return;
        }

        var continuesAhead = _ahead.Count == 0 ? message.Offset > BufferEnd : message.Offset == _ahead.LastOffset + 1;
        if (continuesAhead && HasBufferRoom && _ahead.HasRoom(MaxBuffered, MaxBufferedBytes))
        {
            _ahead.Add(message);
        }
    }

    /// <summary>Moves the pushes kept past a gap into the buffer once the gap is closed; drops those handed out meanwhile.</summary>
    private void JoinAhead()
    {
        while (_ahead.TryPeek(out var head) && head.Offset < BufferEnd)
        {
            _ahead.TryTake(out _);
        }

        if (!_ahead.TryPeek(out var first) || first.Offset != BufferEnd)
        {
            return;
        }

        while (_ahead.TryTake(out var message))
        {
            _buffer.Add(message);
        }
    }

    private void DropStaleBuffer()
    {
        while (_buffer.TryPeek(out var head) && head.Offset < _book.NextOffset)
        {
            _buffer.TryTake(out _);
        }

        if (_buffer.TryPeek(out var first) && first.Offset != _book.NextOffset)
        {
            _buffer.Clear();
        }
    }

    private async Task<T> MutateAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            LogMutationFailed(ex, _queue, _group, _partition);
            this.DeactivateOnIdle();
            throw;
        }
    }

    private async Task PersistAsync()
    {
        _unpersisted = false;
        state.State = _book.ToState();
        await state.WriteStateAsync();
    }

    /// <summary>
    /// For changes a crash may forget without losing a message (acks, first deliveries): persisted by the next change
    /// that is persisted at once, or by a flush timer; before answering only when the flush delay is zero.
    /// </summary>
    private async Task PersistSoonAsync()
    {
        var delay = options.Value.DeliveryFlushDelay;
        if (delay <= TimeSpan.Zero)
        {
            await PersistAsync();
            return;
        }

        _unpersisted = true;

        // A grain timer's callback is a turn of its own (no interleaving), so it never writes the state concurrently
        // with a request. One pending flush at a time; a change that persists first makes it a no-op.
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        _flush = null;
        if (_unpersisted)
        {
            await MutateAsync(async () =>
            {
                await PersistAsync();
                return 0;
            });
        }
    }

    private void Wake()
    {
        var fired = _wake;
        _wake = NewWake();
        fired.TrySetResult();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeliveryBookSettings Settings() => new(options.Value.MaxDeliveries, options.Value.MaxUnsettledPerPartition);

    private static QueueDelivery ToDelivery(StoredQueueMessage message, QueueReceipt receipt) =>
        new(message.Id, message.Key, message.Body, message.Headers, receipt.Partition, message.Offset, receipt.DeliveryCount, receipt.ToString(), message.PublishedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} group {Group} partition {Partition}: released {Count} message(s) of consumer {Consumer}")]
    private partial void LogReleased(string queue, string group, int partition, string consumer, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} group {Group} partition {Partition}: {Count} message(s) dead-lettered after max deliveries")]
    private partial void LogDeadLettered(string queue, string group, int partition, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} group {Group} partition {Partition}: position moved to offset {Offset}")]
    private partial void LogSeek(string queue, string group, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group} partition {Partition}: leaving the partition's direct sends failed")]
    private partial void LogUnwatchFailed(Exception exception, string queue, string group, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group} partition {Partition}: a change failed; deactivating to reload the stored state")]
    private partial void LogMutationFailed(Exception exception, string queue, string group, int partition);
}
