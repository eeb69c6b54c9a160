using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansSync.Naming;
using OrleansSync.Queues;

namespace OrleansSync.Client.Queues;

/// <inheritdoc cref="IQueueService"/>
internal sealed class QueueService(IGrainFactory grains, ILoggerFactory? loggers = null, IOptions<ClientMessagingOptions>? messaging = null) : IQueueService
{
    private static readonly TimeSpan DefaultVisibility = TimeSpan.FromSeconds(30);
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    /// <summary>
    /// Longest wait of one broker receive call: <see cref="QueueLimits.MaxWaitPerCallMs"/>, or half the client's response
    /// timeout when that is shorter. A longer wait would outlive the call: the client gives up on it while the broker still
    /// hands out messages, which nobody reads until their visibility timeout.
    /// </summary>
    internal TimeSpan MaxWaitPerCall { get; } = MaxWaitFor(messaging?.Value.ResponseTimeout);

    private IQueueBrokerGrain Broker => grains.GetGrain<IQueueBrokerGrain>(0);

    public Task<IReadOnlyList<string>> PublishAsync(string queue, IEnumerable<QueueMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batch = messages as IReadOnlyList<QueueMessage> ?? messages.ToList();
        QueueValidation.ValidatePublish(queue, batch);
        return Broker.Publish(queue, batch, cancellationToken);
    }

    public Task<IQueueSubscription> SubscribeAsync(
        string queue, string group, Func<QueueDelivery, CancellationToken, Task> handler, QueueSubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        QueueValidation.ValidateGroup(queue, group);
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        var subscription = new QueueSubscription(
            Broker, queue, group, handler, options ?? new QueueSubscriptionOptions(), MaxWaitPerCall, _loggers.CreateLogger<QueueSubscription>());
        subscription.Start();
        return Task.FromResult<IQueueSubscription>(subscription);
    }

    public async Task<IReadOnlyList<QueueDelivery>> ReceiveAsync(
        string queue, string group, string consumer, int max = 10, TimeSpan? wait = null, TimeSpan? visibility = null, CancellationToken cancellationToken = default)
    {
        var totalWait = wait ?? TimeSpan.Zero;
        var visible = visibility ?? DefaultVisibility;
        QueueValidation.ValidateReceive(queue, group, consumer, max, totalWait, visible);

        // One grain call waits at most MaxWaitPerCall (under the call's response timeout): loop for longer waits.
        var deadline = DateTimeOffset.UtcNow + totalWait;
        while (true)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            var slice = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining < MaxWaitPerCall ? remaining : MaxWaitPerCall;
            var messages = await Broker.Receive(queue, group, consumer, max, slice, visible, cancellationToken).ConfigureAwait(false);
            if (messages.Count > 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return messages;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<int> AckAsync(string queue, string group, IEnumerable<string> receipts, CancellationToken cancellationToken = default)
    {
        var list = Receipts(queue, group, receipts);
        return Broker.Ack(queue, group, list);
    }

    public Task<int> NackAsync(string queue, string group, IEnumerable<string> receipts, bool requeue = true, CancellationToken cancellationToken = default)
    {
        var list = Receipts(queue, group, receipts);
        return Broker.Nack(queue, group, list, requeue);
    }

    public Task<QueueInfo> GetInfoAsync(string queue, CancellationToken cancellationToken = default)
    {
        ResourceName.Validate(queue, nameof(queue));
        return Broker.GetInfo(queue);
    }

    public Task<IReadOnlyList<QueueDeadLetter>> GetDeadLettersAsync(string queue, string? group = null, int max = 100, CancellationToken cancellationToken = default)
    {
        ValidateDeadLetterCall(queue, group, max);
        return Broker.GetDeadLetters(queue, group, max);
    }

    public Task<int> ReplayDeadLettersAsync(string queue, string? group = null, int max = 100, CancellationToken cancellationToken = default)
    {
        ValidateDeadLetterCall(queue, group, max);
        return Broker.ReplayDeadLetters(queue, group, max);
    }

    public Task<IReadOnlyList<QueuePartitionPosition>> SeekAsync(string queue, string group, long offset, int? partition = null, CancellationToken cancellationToken = default)
    {
        QueueValidation.ValidateGroup(queue, group);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (partition is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(partition));
        }

        return Broker.Seek(queue, group, partition, offset);
    }

    private static List<string> Receipts(string queue, string group, IEnumerable<string> receipts)
    {
        QueueValidation.ValidateGroup(queue, group);
        ArgumentNullException.ThrowIfNull(receipts);
        var list = receipts.ToList();
        QueueReceipt.ParseAll(list, nameof(receipts));
        return list;
    }

    private static void ValidateDeadLetterCall(string queue, string? group, int max)
    {
        ResourceName.Validate(queue, nameof(queue));
        if (group is not null)
        {
            ResourceName.Validate(group, nameof(group));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, QueueLimits.MaxDeadLetterBatch);
    }

    internal static TimeSpan MaxWaitFor(TimeSpan? responseTimeout)
    {
        var longest = TimeSpan.FromMilliseconds(QueueLimits.MaxWaitPerCallMs);
        return responseTimeout is { } timeout && timeout > TimeSpan.Zero && timeout / 2 < longest ? timeout / 2 : longest;
    }
}
