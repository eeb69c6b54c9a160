using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// Publishes numbered batches one after another, as an idempotent producer: a failed publish is retried with the same
/// message ids until it is acknowledged, so every id it records was acknowledged and, per key, in publish order.
/// Message ids are <c>p{publisher}-{sequence}</c>, keys <c>p{publisher}-k{sequence mod keys}</c>, bodies the sequence.
/// </summary>
internal sealed class ContinuousPublisher(IQueueService queues, string queue, int publisher, int keys, int batchSize)
{
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private int _failedAttempts;

    /// <summary>Ids whose publish was acknowledged.</summary>
    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    /// <summary>Publish calls that failed (each was retried with the same ids).</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    /// <summary>Publishes until <paramref name="stop"/> is cancelled; a batch in progress then ends unacknowledged.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var start = 0; !stop.IsCancellationRequested; start += batchSize)
        {
            var batch = Enumerable.Range(start, batchSize).Select(Message).ToList();
            while (true)
            {
                try
                {
                    // Not cancelled by stop: an attempt in progress finishes, so it is either acknowledged or failed.
                    var ids = await queues.PublishAsync(queue, batch, CancellationToken.None);
                    Assert.Equal(batch.Select(m => m.Id), ids);
                    foreach (var id in ids)
                    {
                        _acknowledged.Enqueue(id);
                    }

                    break;
                }
                catch (Exception ex) when (ex is not ArgumentException and not Xunit.Sdk.XunitException)
                {
                    Interlocked.Increment(ref _failedAttempts);
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(RetryBackoff, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>The sequence number a message of this publisher carries in its body.</summary>
    public static long SequenceOf(QueueDelivery delivery) =>
        long.Parse(Encoding.UTF8.GetString(delivery.Body), CultureInfo.InvariantCulture);

    private QueueMessage Message(int sequence) => new(
        string.Create(CultureInfo.InvariantCulture, $"p{publisher}-{sequence}"),
        string.Create(CultureInfo.InvariantCulture, $"p{publisher}-k{sequence % keys}"),
        Encoding.UTF8.GetBytes(sequence.ToString(CultureInfo.InvariantCulture)));
}
