namespace OrleansSync.Queues;

/// <summary>
/// The delivery state machine of one consumer group on one partition, free of Orleans so it can be tested with a
/// fake clock. It decides which offsets go to which consumer; the grain around it fetches the messages from the log
/// and persists <see cref="ToState"/> after every change.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Offsets below <see cref="CommittedOffset"/> are settled (acked or dead-lettered), except replayed dead letters,
/// which sit in the in-flight table until settled again.</item>
/// <item>One consumer owns the partition at a time (<see cref="Claim"/>, by rebalance generation). A new owner receives
/// nothing while another consumer still holds unexpired messages of the partition, so a hand-off keeps per-key order.</item>
/// <item>A message not settled before its visibility deadline becomes redeliverable; one that reached
/// <see cref="DeliveryBookSettings.MaxDeliveries"/> deliveries is dead-lettered instead.</item>
/// </list>
/// </remarks>
internal sealed class DeliveryBook
{
    /// <summary>Reason recorded for a message whose last allowed delivery was not settled.</summary>
    public const string MaxDeliveriesReason = "max-deliveries";

    /// <summary>Reason recorded for a message nacked without requeue.</summary>
    public const string RejectedReason = "rejected";

    /// <summary>Reason recorded for a message the log no longer holds (memory profile only).</summary>
    public const string MissingReason = "missing";

    private readonly DeliveryBookSettings _settings;
    private readonly TimeProvider _time;
    private readonly SortedDictionary<long, InFlightEntry> _inFlight = [];
    private readonly SortedSet<long> _settled = [];

    public DeliveryBook(DeliveryBookSettings settings, TimeProvider time, DeliveryBookState? state = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxDeliveries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxUnsettled, 1);
        _settings = settings;
        _time = time;
        if (state is not null)
        {
            CommittedOffset = state.CommittedOffset;
            NextOffset = state.NextOffset;
            Owner = state.Owner;
            Generation = state.Generation;
            foreach (var entry in state.InFlight)
            {
                _inFlight[entry.Offset] = new InFlightEntry { Offset = entry.Offset, Consumer = entry.Consumer, DeliveryCount = entry.DeliveryCount, VisibleAt = entry.VisibleAt };
            }

            _settled.UnionWith(state.Settled);
        }
    }

    /// <summary>Every offset below it is settled (replayed dead letters aside).</summary>
    public long CommittedOffset { get; private set; }

    /// <summary>The next offset never handed out to this group.</summary>
    public long NextOffset { get; private set; }

    /// <summary>The consumer that owns the partition, or null.</summary>
    public string? Owner { get; private set; }

    /// <summary>The rebalance generation <see cref="Owner"/> was assigned in.</summary>
    public long Generation { get; private set; }

    /// <summary>Unsettled messages (handed out or waiting for redelivery).</summary>
    public int InFlightCount => _inFlight.Count;

    /// <summary>Settled offsets at or above <see cref="CommittedOffset"/>.</summary>
    public int SettledAboveCommitted => _settled.Count;

    /// <summary>
    /// <paramref name="consumer"/> claims the partition as assigned in <paramref name="generation"/>. Accepted for a newer
    /// generation than any seen, or for the current owner in the current one.
    /// </summary>
    public bool Claim(string consumer, long generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        if (generation > Generation)
        {
            Owner = consumer;
            Generation = generation;
            return true;
        }

        return generation == Generation && string.Equals(Owner, consumer, StringComparison.Ordinal);
    }

    /// <summary>
    /// Removes and returns the messages whose visibility ran out on their last allowed delivery (or that wait for a
    /// redelivery they are not allowed), settling them as dead letters.
    /// </summary>
    public IReadOnlyList<DeadLetterRecord> TakeDeadLetters()
    {
        var now = _time.GetUtcNow();
        var dead = _inFlight.Values
            .Where(e => e.VisibleAt <= now && e.DeliveryCount >= _settings.MaxDeliveries)
            .Select(e => new DeadLetterRecord(e.Offset, e.DeliveryCount, MaxDeliveriesReason, now))
            .ToList();
        foreach (var record in dead)
        {
            Settle(record.Offset);
        }

        return dead;
    }

    /// <summary>
    /// Whether <paramref name="consumer"/> may be handed messages now: it owns the partition, no other consumer holds
    /// an unexpired message of it (hand-off), and it holds fewer than <paramref name="maxInFlight"/>.
    /// </summary>
    public int CapacityFor(string consumer, int maxInFlight)
    {
        if (!string.Equals(Owner, consumer, StringComparison.Ordinal))
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var held = 0;
        foreach (var entry in _inFlight.Values)
        {
            if (entry.Consumer is null || entry.VisibleAt <= now)
            {
                continue;
            }

            if (!string.Equals(entry.Consumer, consumer, StringComparison.Ordinal))
            {
                return 0;
            }

            held++;
        }

        return Math.Max(0, maxInFlight - held);
    }

    /// <summary>Offsets waiting for redelivery (visible again), lowest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<long> RedeliverableOffsets(int max)
    {
        var now = _time.GetUtcNow();
        return _inFlight.Values
            .Where(e => e.VisibleAt <= now && e.DeliveryCount < _settings.MaxDeliveries)
            .Select(e => e.Offset)
            .Take(max)
            .ToList();
    }

    /// <summary>How many new offsets (from <see cref="NextOffset"/>) may be handed out, at most <paramref name="max"/>.</summary>
    public int NewOffsetsAllowed(int max) =>
        (int)Math.Clamp(_settings.MaxUnsettled - (NextOffset - CommittedOffset), 0, max);

    /// <summary>
    /// Hands <paramref name="offset"/> to <paramref name="consumer"/> until now + <paramref name="visibility"/>: either
    /// <see cref="NextOffset"/> (first delivery) or an offset waiting for redelivery.
    /// </summary>
    /// <exception cref="InvalidOperationException">The offset is neither new nor redeliverable.</exception>
    public QueueReceipt Deliver(int partition, long offset, string consumer, TimeSpan visibility)
    {
        var now = _time.GetUtcNow();
        InFlightEntry entry;
        if (offset == NextOffset)
        {
            entry = new InFlightEntry { Offset = offset };
            _inFlight[offset] = entry;
            NextOffset++;
        }
        else if (!_inFlight.TryGetValue(offset, out entry!) || entry.VisibleAt > now)
        {
            throw new InvalidOperationException($"Offset {offset} is neither the next offset ({NextOffset}) nor waiting for redelivery.");
        }

        entry.Consumer = consumer;
        entry.DeliveryCount++;
        entry.VisibleAt = now + visibility;
        return new QueueReceipt(partition, offset, entry.DeliveryCount);
    }

    /// <summary>Settles the delivery <paramref name="receipt"/> names; false when it is unknown or from an earlier delivery.</summary>
    public bool Ack(QueueReceipt receipt)
    {
        if (!Matches(receipt))
        {
            return false;
        }

        Settle(receipt.Offset);
        return true;
    }

    /// <summary>
    /// Rejects the delivery <paramref name="receipt"/> names. With <paramref name="requeue"/> the message is visible again
    /// at once, unless that was its last allowed delivery; otherwise (or then) it is dead-lettered and returned in
    /// <paramref name="deadLetter"/>. False when the receipt is unknown or stale.
    /// </summary>
    public bool Nack(QueueReceipt receipt, bool requeue, out DeadLetterRecord? deadLetter)
    {
        deadLetter = null;
        if (!Matches(receipt))
        {
            return false;
        }

        var entry = _inFlight[receipt.Offset];
        var now = _time.GetUtcNow();
        if (requeue && entry.DeliveryCount < _settings.MaxDeliveries)
        {
            entry.Consumer = null;
            entry.VisibleAt = now;
            return true;
        }

        deadLetter = new DeadLetterRecord(entry.Offset, entry.DeliveryCount, requeue ? MaxDeliveriesReason : RejectedReason, now);
        Settle(entry.Offset);
        return true;
    }

    /// <summary>Settles an unsettled offset as a dead letter for <paramref name="reason"/>.</summary>
    public DeadLetterRecord Discard(long offset, string reason)
    {
        var count = _inFlight.TryGetValue(offset, out var entry) ? entry.DeliveryCount : 0;
        Settle(offset);
        return new DeadLetterRecord(offset, count, reason, _time.GetUtcNow());
    }

    /// <summary>Makes every message held by <paramref name="consumer"/> redeliverable now; answers how many.</summary>
    public int Release(string consumer)
    {
        var now = _time.GetUtcNow();
        var released = 0;
        foreach (var entry in _inFlight.Values)
        {
            if (string.Equals(entry.Consumer, consumer, StringComparison.Ordinal))
            {
                entry.Consumer = null;
                entry.VisibleAt = now;
                released++;
            }
        }

        if (string.Equals(Owner, consumer, StringComparison.Ordinal))
        {
            Owner = null;
        }

        return released;
    }

    /// <summary>
    /// Puts dead-lettered offsets back for redelivery with a fresh delivery count. Offsets never handed out or already
    /// unsettled are skipped. Answers the offsets taken back.
    /// </summary>
    public IReadOnlyList<long> Replay(IEnumerable<long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var now = _time.GetUtcNow();
        var replayed = new List<long>();
        foreach (var offset in offsets)
        {
            if (offset < 0 || offset >= NextOffset || _inFlight.ContainsKey(offset))
            {
                continue;
            }

            _settled.Remove(offset);
            _inFlight[offset] = new InFlightEntry { Offset = offset, Consumer = null, DeliveryCount = 0, VisibleAt = now };
            replayed.Add(offset);
        }

        return replayed;
    }

    /// <summary>
    /// Moves the position to <paramref name="offset"/>: offsets below count as settled, offsets from it on are handed out
    /// again from the start, in order. Unsettled entries are forgotten, so nothing blocks the owner.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public void Seek(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _inFlight.Clear();
        _settled.Clear();
        CommittedOffset = offset;
        NextOffset = offset;
    }

    /// <summary>
    /// Whether <paramref name="consumer"/> could receive something now, given that the log ends at
    /// <paramref name="knownEnd"/>, and otherwise the next moment that may change without a push (a visibility deadline).
    /// </summary>
    public bool HasWorkFor(string consumer, long knownEnd, int maxInFlight, out DateTimeOffset? nextChange)
    {
        var now = _time.GetUtcNow();
        nextChange = _inFlight.Values.Where(e => e.VisibleAt > now).Select(e => (DateTimeOffset?)e.VisibleAt).Min();
        if (CapacityFor(consumer, maxInFlight) == 0)
        {
            return false;
        }

        return _inFlight.Values.Any(e => e.VisibleAt <= now) || (knownEnd > NextOffset && NewOffsetsAllowed(1) > 0);
    }

    /// <summary>The persisted form.</summary>
    public DeliveryBookState ToState() => new()
    {
        CommittedOffset = CommittedOffset,
        NextOffset = NextOffset,
        Owner = Owner,
        Generation = Generation,
        InFlight = _inFlight.Values
            .Select(e => new InFlightEntry { Offset = e.Offset, Consumer = e.Consumer, DeliveryCount = e.DeliveryCount, VisibleAt = e.VisibleAt })
            .ToList(),
        Settled = [.. _settled],
    };

    private bool Matches(QueueReceipt receipt) =>
        _inFlight.TryGetValue(receipt.Offset, out var entry)
        && entry.Consumer is not null
        && entry.DeliveryCount == receipt.DeliveryCount;

    private void Settle(long offset)
    {
        _inFlight.Remove(offset);
        if (offset < CommittedOffset)
        {
            return; // a replayed dead letter below the committed offset
        }

        _settled.Add(offset);
        while (_settled.Remove(CommittedOffset))
        {
            CommittedOffset++;
        }
    }
}
