using System.Collections.Concurrent;
using System.Globalization;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// What one consumer group was handed: how often each message id, and per key the order of first deliveries (bodies
/// carry the publisher's sequence number, see <see cref="ContinuousPublisher"/>).
/// </summary>
internal sealed class DeliveryTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _firstByKey = new(StringComparer.Ordinal);
    private int _deliveries;

    public int Deliveries => Volatile.Read(ref _deliveries);

    public int Distinct => _counts.Count;

    /// <summary>Deliveries beyond the first of each message.</summary>
    public int Duplicates => Deliveries - Distinct;

    /// <summary>Messages delivered more than once.</summary>
    public int MessagesDeliveredMoreThanOnce => _counts.Values.Count(c => c > 1);

    public Task RecordAsync(QueueDelivery delivery)
    {
        var count = _counts.AddOrUpdate(delivery.Id, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _deliveries);
        if (count == 1)
        {
            lock (_firstByKey)
            {
                if (!_firstByKey.TryGetValue(delivery.Key!, out var sequence))
                {
                    _firstByKey[delivery.Key!] = sequence = [];
                }

                sequence.Add(ContinuousPublisher.SequenceOf(delivery));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The ids of <paramref name="expected"/> never delivered.</summary>
    public List<string> Missing(IEnumerable<string> expected) => expected.Where(id => !_counts.ContainsKey(id)).ToList();

    /// <summary>Places where a key's first deliveries went backwards: "key: a then b".</summary>
    public List<string> KeyOrderViolations()
    {
        var violations = new List<string>();
        lock (_firstByKey)
        {
            foreach (var (key, sequence) in _firstByKey)
            {
                for (var i = 1; i < sequence.Count; i++)
                {
                    if (sequence[i] <= sequence[i - 1])
                    {
                        violations.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: {sequence[i - 1]} then {sequence[i]}"));
                    }
                }
            }
        }

        return violations;
    }
}
