namespace OrleansSync.Queues;

/// <summary>One partition's messages, dedupe window and dead letters in memory (see <see cref="MemoryQueueLog"/>).</summary>
internal sealed class MemoryPartitionLog
{
    private readonly Dictionary<string, DateTimeOffset> _dedupeExpiry = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset ExpiresAt)> _dedupeOrder = new();

    public object Gate { get; } = new();

    /// <summary>Index = offset.</summary>
    public List<StoredQueueMessage> Messages { get; } = [];

    /// <summary>Dead letters per group, by offset.</summary>
    public Dictionary<string, SortedDictionary<long, DeadLetterRecord>> DeadLetters { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="id"/> was stored within the window; otherwise remembers it until <paramref name="expiresAt"/>.</summary>
    public bool IsDuplicate(string id, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        while (_dedupeOrder.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _dedupeOrder.Dequeue();
            if (_dedupeExpiry.TryGetValue(oldest.Id, out var expiry) && expiry <= now)
            {
                _dedupeExpiry.Remove(oldest.Id);
            }
        }

        if (_dedupeExpiry.TryGetValue(id, out var current) && current > now)
        {
            return true;
        }

        _dedupeExpiry[id] = expiresAt;
        _dedupeOrder.Enqueue((id, expiresAt));
        return false;
    }
}
