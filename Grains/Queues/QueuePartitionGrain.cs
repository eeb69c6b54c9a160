using Orleans.Concurrency;
using Orleans.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IQueuePartitionGrain"/>
/// <remarks>
/// The end offset lives in memory and is re-read from the log on activation. A failed append may or may not have
/// committed, so the grain deactivates and the next activation reads the truth back. Reentrant: reads and dead-letter
/// calls run while an append is written, and appends that arrive meanwhile are written together next (group commit).
/// </remarks>
[Reentrant]
internal sealed partial class QueuePartitionGrain(
    IQueueLog log,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<QueuePartitionGrain> logger) : Grain, IQueuePartitionGrain
{
    private const int MaxRead = 1000;

    /// <summary>Most messages and body bytes one group commit writes (a single larger append is written alone).</summary>
    private const int MaxBatchMessages = 10_000;
    private const long MaxBatchBytes = 16L * 1024 * 1024;

    private readonly Queue<QueuePendingAppend> _pending = new();
    private Task _writing = Task.CompletedTask;
    private Task _pushing = Task.CompletedTask;
    private string _queue = "";
    private int _partition;
    private IQueuePartitionWriter? _writer;
    private IAsyncStream<QueuePartitionAppended>? _stream;
    private PublishHold? _hold;

    /// <summary>Groups whose group-partition grain gets appends sent straight (<see cref="Watch"/>), besides the stream.</summary>
    private readonly HashSet<string> _watchers = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_queue, _partition) = QueueKeys.ParsePartition(this.GetPrimaryKeyString());
        _writer = await log.OpenWriterAsync(_queue, _partition, time.GetUtcNow(), options.Value.DedupeWindow, cancellationToken);
        _stream = this.GetStreamProvider(ProviderNames.Streams).GetStream<QueuePartitionAppended>(QueueStreams.ForPartition(_queue, _partition));
        _hold = new PublishHold(ConsumersWithinLagAsync, time);
        if (log.IsVolatile)
        {
            // The memory log keeps this partition on this silo only: stay here rather than lose it to idle collection.
            DelayDeactivation(TimeSpan.FromDays(365));
        }
    }

    public async Task<int> Append(IReadOnlyList<QueueMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return 0;
        }

        // Group commit: appends that arrive while one is being written wait for it and then go to the log together, in
        // arrival order, in one transaction. The caller that finds no write in flight starts the next one.
        var pending = new QueuePendingAppend(messages);
        _pending.Enqueue(pending);
        while (!pending.Completion.Task.IsCompleted)
        {
            if (_writing.IsCompleted)
            {
                _writing = WriteQueuedAsync();
            }

            await _writing;
        }

        var stored = await pending.Completion.Task;
        if (options.Value.MaxConsumerLag > 0 && _watchers.Count > 0)
        {
            var held = await _hold!.WaitAsync(options.Value.MaxPublishHold);
            if (held > TimeSpan.Zero)
            {
                QueueMetrics.PublishHeld(held);
            }
        }

        return stored;
    }

    public async Task<QueuePartitionRead> Read(long fromOffset, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var end = _writer!.End;
        if (fromOffset >= end)
        {
            return new QueuePartitionRead([], end);
        }

        var messages = await log.ReadAsync(_queue, _partition, fromOffset, Math.Min(max, MaxRead), CancellationToken.None);
        return new QueuePartitionRead(messages, end);
    }

    public Task<IReadOnlyList<StoredQueueMessage>> ReadOffsets(IReadOnlyList<long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return log.ReadOffsetsAsync(_queue, _partition, offsets, CancellationToken.None);
    }

    public Task<long> GetEnd() => Task.FromResult(_writer!.End);

    public Task<long> Watch(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        _watchers.Add(group);
        return Task.FromResult(_writer!.End);
    }

    public Task Unwatch(string group)
    {
        _watchers.Remove(group);
        return Task.CompletedTask;
    }

    public Task AddDeadLetters(string group, IReadOnlyList<DeadLetterRecord> records) =>
        log.AddDeadLettersAsync(_queue, group, _partition, records, CancellationToken.None);

    public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLetters(string group, int max) =>
        log.ListDeadLettersAsync(_queue, group, _partition, Math.Clamp(max, 1, QueueLimits.MaxDeadLetterBatch), CancellationToken.None);

    public Task RemoveDeadLetters(string group, IReadOnlyList<long> offsets) =>
        log.RemoveDeadLettersAsync(_queue, group, _partition, offsets, CancellationToken.None);

    public Task<long> CountDeadLetters(string group) =>
        log.CountDeadLettersAsync(_queue, group, _partition, CancellationToken.None);

    /// <summary>Appends the queued appends (up to the batch limits) in one log append; never throws: it settles each caller.</summary>
    private async Task WriteQueuedAsync()
    {
        var batch = TakeBatch();
        if (batch.Count == 0)
        {
            return;
        }

        var messages = batch.Count == 1 ? batch[0].Messages : batch.SelectMany(p => p.Messages).ToList();
        IReadOnlyList<StoredQueueMessage> appended;
        try
        {
            appended = await _writer!.AppendAsync(messages, time.GetUtcNow(), options.Value.DedupeWindow, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAppendFailed(ex, _queue, _partition, _writer!.End);
            this.DeactivateOnIdle();
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        // Each caller hears how many of its messages were stored (a duplicate id counts for the first caller only).
        var stored = appended.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult(pending.Messages.Count(m => stored.Remove(m.Id!)));
        }

        if (appended.Count > 0)
        {
            // Not awaited: the publishers already heard back, and the next group commit need not wait for the wake-up
            // push. Pushes stay in append order (each awaits the one before), so receivers can buffer them in order.
            _pushing = PushAfterAsync(_pushing, new QueuePartitionAppended(_writer.End, appended));
        }
    }

    /// <summary>Whether every consumed group has at most <see cref="QueueOptions.MaxConsumerLag"/> messages here not yet handed out.</summary>
    private async Task<bool> ConsumersWithinLagAsync()
    {
        var end = _writer!.End;
        var groups = _watchers.ToList();
        try
        {
            var progress = await Task.WhenAll(groups.Select(group =>
                GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(_queue, group, _partition)).GetProgress()));
            return progress.All(p => !p.Consuming || end - p.NextOffset <= options.Value.MaxConsumerLag);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The hold is flow control, not a guarantee: a group that cannot answer (its silo just died) must not stop
            // the producers, and its consumers are moved to other silos meanwhile.
            LogLagLookFailed(ex, _queue, _partition);
            return true;
        }
    }

    private List<QueuePendingAppend> TakeBatch()
    {
        var batch = new List<QueuePendingAppend>();
        var count = 0;
        long bytes = 0;
        while (_pending.TryPeek(out var next))
        {
            var nextBytes = next.Messages.Sum(m => (long)m.Body.Length);
            if (batch.Count > 0 && (count + next.Messages.Count > MaxBatchMessages || bytes + nextBytes > MaxBatchBytes))
            {
                break;
            }

            batch.Add(_pending.Dequeue());
            count += next.Messages.Count;
            bytes += nextBytes;
        }

        return batch;
    }

    private async Task PushAfterAsync(Task previous, QueuePartitionAppended appended)
    {
        await previous;

        // The append is already durable: a lost push only delays consumers until they next read the log, so it must
        // not fail anything.
        try
        {
            // Straight to the watching groups first (one-way calls, no wait): the memory stream's pulling agent only
            // delivers on its next poll.
            foreach (var group in _watchers)
            {
                _ = GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(_queue, group, _partition)).Appended(appended);
            }

            // The stream is only the second wake-up path: it carries the end offset, not the messages. The memory stream
            // serializes and copies every event, which for the messages would double the push's cost for a copy the
            // watchers already have; a group-partition the direct send missed reads the messages from the log.
            await _stream!.OnNextAsync(appended with { Messages = [] });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPushFailed(ex, _queue, _partition, appended.EndOffset);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Append to queue {Queue} partition {Partition} at offset {Offset} failed; deactivating to re-read the end offset")]
    private partial void LogAppendFailed(Exception exception, string queue, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} partition {Partition}: could not ask its consumer groups how far behind they are; publishes are not held meanwhile")]
    private partial void LogLagLookFailed(Exception exception, string queue, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of queue {Queue} partition {Partition} up to offset {EndOffset} failed; consumers catch up from the log")]
    private partial void LogPushFailed(Exception exception, string queue, int partition, long endOffset);
}
