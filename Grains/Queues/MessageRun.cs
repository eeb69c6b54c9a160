namespace OrleansSync.Queues;

/// <summary>
/// Stored messages of one partition held in memory in offset order, with their count and body bytes, so a holder can
/// bound both. The holder keeps the run contiguous; <see cref="LastOffset"/> means something only while it is not empty.
/// </summary>
internal sealed class MessageRun
{
    private readonly Queue<StoredQueueMessage> _messages = new();
    private long _bytes;

    public int Count => _messages.Count;

    public long LastOffset { get; private set; }

    /// <summary>Whether the run holds fewer than <paramref name="maxMessages"/> messages and <paramref name="maxBytes"/> body bytes.</summary>
    public bool HasRoom(int maxMessages, long maxBytes) => _messages.Count < maxMessages && _bytes < maxBytes;

    public bool TryPeek(out StoredQueueMessage message) => _messages.TryPeek(out message!);

    public void Add(StoredQueueMessage message)
    {
        _messages.Enqueue(message);
        _bytes += message.Body.Length;
        LastOffset = message.Offset;
    }

    public bool TryTake(out StoredQueueMessage message)
    {
        if (!_messages.TryDequeue(out message!))
        {
            return false;
        }

        _bytes -= message.Body.Length;
        return true;
    }

    public void Clear()
    {
        _messages.Clear();
        _bytes = 0;
    }
}
