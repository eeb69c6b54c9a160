using Orleans.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IQueuePartitionGrain"/>
/// <remarks>
/// The end offset lives in memory and is re-read from the log on activation. A failed append may or may not have
/// committed, so the grain deactivates and the next activation reads the truth back.
/// </remarks>
internal sealed partial class QueuePartitionGrain(
    IQueueLog log,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<QueuePartitionGrain> logger) : Grain, IQueuePartitionGrain
{
    private const int MaxRead = 1000;
    private string _queue = "";
    private int _partition;
    private long _end;
    private IAsyncStream<QueuePartitionAppended>? _stream;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_queue, _partition) = QueueKeys.ParsePartition(this.GetPrimaryKeyString());
        _end = await log.GetEndOffsetAsync(_queue, _partition, cancellationToken);
        _stream = this.GetStreamProvider(ProviderNames.Streams).GetStream<QueuePartitionAppended>(QueueStreams.ForPartition(_queue, _partition));
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

        IReadOnlyList<StoredQueueMessage> appended;
        try
        {
            appended = await log.AppendAsync(_queue, _partition, _end, messages, time.GetUtcNow(), options.Value.DedupeWindow, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAppendFailed(ex, _queue, _partition, _end);
            this.DeactivateOnIdle();
            throw;
        }

        if (appended.Count == 0)
        {
            return 0;
        }

        _end = appended[^1].Offset + 1;
        await PushAsync(appended);
        return appended.Count;
    }

    public async Task<QueuePartitionRead> Read(long fromOffset, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (fromOffset >= _end)
        {
            return new QueuePartitionRead([], _end);
        }

        var messages = await log.ReadAsync(_queue, _partition, fromOffset, Math.Min(max, MaxRead), CancellationToken.None);
        return new QueuePartitionRead(messages, _end);
    }

    public Task<IReadOnlyList<StoredQueueMessage>> ReadOffsets(IReadOnlyList<long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return log.ReadOffsetsAsync(_queue, _partition, offsets, CancellationToken.None);
    }

    public Task<long> GetEnd() => Task.FromResult(_end);

    public Task AddDeadLetters(string group, IReadOnlyList<DeadLetterRecord> records) =>
        log.AddDeadLettersAsync(_queue, group, _partition, records, CancellationToken.None);

    public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLetters(string group, int max) =>
        log.ListDeadLettersAsync(_queue, group, _partition, Math.Clamp(max, 1, QueueLimits.MaxDeadLetterBatch), CancellationToken.None);

    public Task RemoveDeadLetters(string group, IReadOnlyList<long> offsets) =>
        log.RemoveDeadLettersAsync(_queue, group, _partition, offsets, CancellationToken.None);

    public Task<long> CountDeadLetters(string group) =>
        log.CountDeadLettersAsync(_queue, group, _partition, CancellationToken.None);

    private async Task PushAsync(IReadOnlyList<StoredQueueMessage> appended)
    {
        // The append is already durable: a lost push only delays consumers until they next read the log, so it must
        // not fail the publish.
        try
        {
            await _stream!.OnNextAsync(new QueuePartitionAppended(_end, appended));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPushFailed(ex, _queue, _partition, _end);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Append to queue {Queue} partition {Partition} at offset {Offset} failed; deactivating to re-read the end offset")]
    private partial void LogAppendFailed(Exception exception, string queue, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of queue {Queue} partition {Partition} up to offset {EndOffset} failed; consumers catch up from the log")]
    private partial void LogPushFailed(Exception exception, string queue, int partition, long endOffset);
}
