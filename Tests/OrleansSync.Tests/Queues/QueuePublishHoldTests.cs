using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>Publish flow control (<see cref="QueueOptions.MaxConsumerLag"/>) on a real cluster.</summary>
public sealed class QueuePublishHoldTests(QueuePublishHoldFixture fixture) : IClassFixture<QueuePublishHoldFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_publish_is_durable_at_once_but_answered_only_when_the_consumed_group_is_back_within_the_lag_bound()
    {
        var queue = $"hold-{Guid.NewGuid():N}";
        var queues = fixture.Queues;

        // The consumer fills its prefetch; 10 behind is within the bound, so this publish is not held.
        await queues.PublishAsync(queue, Messages("first", 10)).WaitAsync(Deadline);
        var held = await Eventually.UntilAsync(() => queues.ReceiveAsync(queue, "g", "c", 10), d => d.Count > 0, Deadline, "the consumer receives");
        var received = held.Count;

        // The consumer keeps asking (its prefetch is full, so it gets nothing): the group is being consumed.
        using var stopAsking = new CancellationTokenSource();
        var asking = KeepAskingAsync(queue, stopAsking.Token);

        var publish = queues.PublishAsync(queue, Messages("second", 200));
        await Eventually.UntilAsync(async () => (await queues.GetInfoAsync(queue)).Depth == 210, Deadline, "the held publish is stored");
        await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(publish.IsCompleted, "the publish is held while the group is 200 behind");

        await stopAsking.CancelAsync();
        await asking;

        // The consumer works through the backlog; the publish is answered once at most 50 are left to hand out.
        var giveUpAt = DateTimeOffset.UtcNow + Deadline;
        while (!publish.IsCompleted)
        {
            Assert.True(DateTimeOffset.UtcNow < giveUpAt, "the publish is answered once the group catches up");
            if (held.Count > 0)
            {
                await queues.AckAsync(queue, "g", held.Select(d => d.Receipt));
            }

            held = await queues.ReceiveAsync(queue, "g", "c", 10);
            received += held.Count;
        }

        Assert.Equal(200, (await publish).Count);
        Assert.True(received >= 210 - QueuePublishHoldSiloConfigurator.MaxConsumerLag, $"answered after {received} of 210 were handed out");
    }

    [Fact]
    public async Task A_group_nobody_consumes_holds_no_publish()
    {
        var queue = $"hold-idle-{Guid.NewGuid():N}";
        var queues = fixture.Queues;
        await queues.SeekAsync(queue, "idle", 0);

        var ids = await queues.PublishAsync(queue, Messages("m", 200)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, ids.Count);
        var idle = (await queues.GetInfoAsync(queue)).Groups.Single(g => g.Group == "idle");
        Assert.Equal(200, idle.Pending);
    }

    private async Task KeepAskingAsync(string queue, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Assert.Empty(await fixture.Queues.ReceiveAsync(queue, "g", "c", 10, cancellationToken: CancellationToken.None));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static List<QueueMessage> Messages(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => new QueueMessage($"{prefix}-{i}", null, [(byte)i])).ToList();
}
