using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// Publishes numbered messages over a set of keys and consumes them with push subscriptions in several groups; checks
/// that every group gets every message and, per key, in publish order. Shared by the memory and PostgreSQL profiles.
/// </summary>
internal sealed class KeyOrderRun(string queue, int keys, int messages)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, List<int>>> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);

    public static string KeyOf(int sequence, int keys) => $"key-{sequence % keys}";

    public async Task PublishAsync(IQueueService queues, int batchSize = 500)
    {
        for (var start = 0; start < messages; start += batchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(batchSize, messages - start))
                .Select(i => new QueueMessage($"m-{i}", KeyOf(i, keys), Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))))
                .ToList();
            var ids = await queues.PublishAsync(queue, batch);
            Assert.Equal(batch.Select(m => m.Id), ids);
        }
    }

    public async Task<List<IQueueSubscription>> SubscribeAsync(IQueueService queues, string group, int consumers)
    {
        _seen[group] = new ConcurrentDictionary<string, List<int>>(StringComparer.Ordinal);
        _received[group] = 0;
        var subscriptions = new List<IQueueSubscription>();
        for (var c = 0; c < consumers; c++)
        {
            subscriptions.Add(await JoinOneAsync(queues, group, c));
        }

        return subscriptions;
    }

    /// <summary>Adds consumer number <paramref name="index"/> to a group already started with <see cref="SubscribeAsync"/>.</summary>
    public async Task<List<IQueueSubscription>> JoinAsync(IQueueService queues, string group, int index) =>
        [await JoinOneAsync(queues, group, index)];

    private Task<IQueueSubscription> JoinOneAsync(IQueueService queues, string group, int index) =>
        queues.SubscribeAsync(queue, group, (message, _) => RecordAsync(group, message), new QueueSubscriptionOptions
        {
            ConsumerId = $"{group}-c{index}",
            Concurrency = 4,
        });

    public Task WaitForAllAsync(TimeSpan deadline) =>
        Eventually.UntilAsync(
            () => Task.FromResult(_seen.Keys.All(g => Distinct(g) == messages)),
            deadline,
            $"every group receives all {messages} messages (now: {string.Join(", ", _seen.Keys.Select(g => $"{g}={Distinct(g)}"))})");

    public void AssertEveryGroupGotEveryMessageInKeyOrder()
    {
        foreach (var (group, byKey) in _seen)
        {
            Assert.Equal(keys, byKey.Count);
            foreach (var (key, sequence) in byKey)
            {
                List<int> copy;
                lock (sequence)
                {
                    copy = [.. sequence];
                }

                var expected = Enumerable.Range(0, messages).Where(i => KeyOf(i, keys) == key).ToList();

                // At least once: a redelivery may repeat a message, but first deliveries must follow publish order.
                var firsts = copy.Distinct().ToList();
                Assert.Equal(expected, firsts);
            }
        }
    }

    public int Duplicates(string group) => _received[group] - Distinct(group);

    private int Distinct(string group) => _seen[group].Values.Sum(list =>
    {
        lock (list)
        {
            return list.Distinct().Count();
        }
    });

    private Task RecordAsync(string group, QueueDelivery message)
    {
        var sequence = int.Parse(Encoding.UTF8.GetString(message.Body), CultureInfo.InvariantCulture);
        var list = _seen[group].GetOrAdd(message.Key!, _ => []);
        lock (list)
        {
            list.Add(sequence);
        }

        _received.AddOrUpdate(group, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
