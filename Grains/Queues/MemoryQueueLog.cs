using System.Collections.Concurrent;

namespace OrleansSync.Queues;

/// <summary>
/// The embedded profile's queue log: a silo-wide singleton in memory. Nothing survives a silo restart, as for everything
/// else in that profile. Each partition's data lives on the silo that hosts its <see cref="QueuePartitionGrain"/>, which
/// therefore keeps itself active (see <see cref="IsVolatile"/>); in a multi-silo memory cluster a partition whose silo
/// stops loses its messages.
/// </summary>
internal sealed class MemoryQueueLog : IQueueLog
{
    private readonly ConcurrentDictionary<(string Queue, int Partition), MemoryPartitionLog> _partitions = new();

    public bool IsVolatile => true;

    public Task<IQueuePartitionWriter> OpenWriterAsync(string queue, int partition, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            return Task.FromResult<IQueuePartitionWriter>(new MemoryPartitionWriter(this, queue, partition, log.Messages.Count));
        }
    }

    /// <summary>Appends at <paramref name="firstOffset"/>, which must be the partition's end; drops ids stored within the window.</summary>
    public Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        string queue, int partition, long firstOffset, IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            if (firstOffset != log.Messages.Count)
            {
                throw new InvalidOperationException($"Partition {queue}/{partition} ends at {log.Messages.Count}, not {firstOffset}: another writer appended.");
            }

            var appended = new List<StoredQueueMessage>(messages.Count);
            foreach (var message in messages)
            {
                var id = message.Id ?? throw new ArgumentException("Messages reach the log with ids assigned.", nameof(messages));
                if (log.IsDuplicate(id, now, now + dedupeWindow))
                {
                    continue;
                }

                var stored = new StoredQueueMessage(log.Messages.Count, id, message.Key, message.Body, message.Headers ?? QueueHeaders.Empty, now);
                log.Messages.Add(stored);
                appended.Add(stored);
            }

            return Task.FromResult<IReadOnlyList<StoredQueueMessage>>(appended);
        }
    }

    public Task<IReadOnlyList<StoredQueueMessage>> ReadAsync(string queue, int partition, long fromOffset, int max, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            if (fromOffset < 0 || fromOffset >= log.Messages.Count)
            {
                return Task.FromResult<IReadOnlyList<StoredQueueMessage>>([]);
            }

            var count = (int)Math.Min(max, log.Messages.Count - fromOffset);
            return Task.FromResult<IReadOnlyList<StoredQueueMessage>>(log.Messages.GetRange((int)fromOffset, count));
        }
    }

    public Task<IReadOnlyList<StoredQueueMessage>> ReadOffsetsAsync(string queue, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            var found = offsets.Where(o => o >= 0 && o < log.Messages.Count).Distinct().Order().Select(o => log.Messages[(int)o]).ToList();
            return Task.FromResult<IReadOnlyList<StoredQueueMessage>>(found);
        }
    }

    public Task AddDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<DeadLetterRecord> records, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            if (!log.DeadLetters.TryGetValue(group, out var letters))
            {
                letters = [];
                log.DeadLetters[group] = letters;
            }

            foreach (var record in records)
            {
                letters[record.Offset] = record;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(string queue, string group, int partition, int max, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            IReadOnlyList<DeadLetterRecord> records = log.DeadLetters.TryGetValue(group, out var letters) ? letters.Values.Take(max).ToList() : [];
            return Task.FromResult(records);
        }
    }

    public Task RemoveDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            if (log.DeadLetters.TryGetValue(group, out var letters))
            {
                foreach (var offset in offsets)
                {
                    letters.Remove(offset);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> CountDeadLettersAsync(string queue, string group, int partition, CancellationToken cancellationToken)
    {
        var log = Partition(queue, partition);
        lock (log.Gate)
        {
            return Task.FromResult(log.DeadLetters.TryGetValue(group, out var letters) ? (long)letters.Count : 0L);
        }
    }

    private MemoryPartitionLog Partition(string queue, int partition) => _partitions.GetOrAdd((queue, partition), static _ => new MemoryPartitionLog());
}
