using System.Text;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

[Collection(QueueClusterCollection.Name)]
public sealed class QueueClusterTests(QueueClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ten_thousand_messages_over_16_keys_reach_two_groups_of_three_consumers_complete_and_in_key_order()
    {
        var queue = NewName("orders");
        var run = new KeyOrderRun(queue, keys: 16, messages: 10_000);
        var subscriptions = new List<Client.Queues.IQueueSubscription>();
        try
        {
            subscriptions.AddRange(await run.SubscribeAsync(fixture.Queues, "billing", 3));
            subscriptions.AddRange(await run.SubscribeAsync(fixture.Queues, "shipping", 3));
            await Eventually.UntilAsync(
                async () => (await fixture.Queues.GetInfoAsync(queue)).Groups.Sum(g => g.Consumers.Count) == 6,
                Deadline,
                "both groups have three live consumers");

            await run.PublishAsync(fixture.Queues);
            await run.WaitForAllAsync(Deadline);

            run.AssertEveryGroupGotEveryMessageInKeyOrder();
            var info = await Eventually.UntilAsync(
                () => fixture.Queues.GetInfoAsync(queue),
                i => i.Groups.All(g => g.Pending == 0),
                Deadline,
                "every group settles every message");
            Assert.Equal(10_000, info.Depth);
            Assert.Equal(0, info.InFlight);
            Assert.Equal(0, info.DeadLetters);
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Consumers_joining_and_leaving_while_messages_flow_keep_key_order_and_lose_nothing()
    {
        var queue = NewName("churn");
        var run = new KeyOrderRun(queue, keys: 16, messages: 6000);
        var subscriptions = new List<Client.Queues.IQueueSubscription>();
        try
        {
            subscriptions.AddRange(await run.SubscribeAsync(fixture.Queues, "g", 1));
            var publishing = run.PublishAsync(fixture.Queues, batchSize: 100);

            // Two more consumers join mid-stream (rebalances hand partitions off), then the first one leaves.
            subscriptions.AddRange(await run.JoinAsync(fixture.Queues, "g", 1));
            subscriptions.AddRange(await run.JoinAsync(fixture.Queues, "g", 2));
            await subscriptions[0].DisposeAsync();
            subscriptions.RemoveAt(0);

            await publishing;
            await run.WaitForAllAsync(Deadline);
            run.AssertEveryGroupGotEveryMessageInKeyOrder();
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_never_acking_consumer_gets_redeliveries_then_a_dead_letter_that_replay_hands_back()
    {
        var queue = NewName("poison");
        var queues = fixture.Queues;
        var visibility = TimeSpan.FromSeconds(1);
        await queues.PublishAsync(queue, [new QueueMessage("poison-1", "k", Encoding.UTF8.GetBytes("{\"bad\":true}"))]);

        for (var delivery = 1; delivery <= QueueTestSiloConfigurator.MaxDeliveries; delivery++)
        {
            // The long-poll is completed by the grain when the visibility deadline passes; no sleeping here.
            var received = await queues.ReceiveAsync(queue, "workers", "stubborn", 10, TimeSpan.FromSeconds(10), visibility);
            var message = Assert.Single(received);
            Assert.Equal("poison-1", message.Id);
            Assert.Equal(delivery, message.DeliveryCount);
        }

        var letters = await Eventually.UntilAsync(
            async () =>
            {
                // Dead-lettering happens when the group next looks at the partition.
                Assert.Empty(await queues.ReceiveAsync(queue, "workers", "stubborn", 10, TimeSpan.FromSeconds(2), visibility));
                return await queues.GetDeadLettersAsync(queue, "workers");
            },
            l => l.Count == 1,
            Deadline,
            "the message is dead-lettered after its last allowed delivery");
        var letter = letters[0];
        Assert.Equal("workers", letter.Group);
        Assert.Equal(DeliveryBook.MaxDeliveriesReason, letter.Reason);
        Assert.Equal(QueueTestSiloConfigurator.MaxDeliveries, letter.Message.DeliveryCount);
        Assert.Equal("poison-1", letter.Message.Id);
        Assert.Equal(1, (await queues.GetInfoAsync(queue)).DeadLetters);

        Assert.Equal(1, await queues.ReplayDeadLettersAsync(queue));
        Assert.Empty(await queues.GetDeadLettersAsync(queue));
        var replayed = Assert.Single(await queues.ReceiveAsync(queue, "workers", "fixed", 10, TimeSpan.FromSeconds(10), visibility));
        Assert.Equal("poison-1", replayed.Id);
        Assert.Equal(1, replayed.DeliveryCount);
        Assert.Equal(1, await queues.AckAsync(queue, "workers", [replayed.Receipt]));
        Assert.Equal(0, await queues.AckAsync(queue, "workers", [replayed.Receipt])); // already settled: not counted

        var info = await queues.GetInfoAsync(queue);
        Assert.Equal(0, info.InFlight);
        Assert.Equal(0, info.DeadLetters);
        Assert.Equal(0, info.Groups.Single().Pending);
    }

    [Fact]
    public async Task Nack_without_requeue_dead_letters_at_once_and_only_in_that_group()
    {
        var queue = NewName("reject");
        var queues = fixture.Queues;
        await queues.PublishAsync(queue, [new QueueMessage("r-1", null, Encoding.UTF8.GetBytes("1"))]);

        var a = Assert.Single(await queues.ReceiveAsync(queue, "a", "a1", 10, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await queues.NackAsync(queue, "a", [a.Receipt], requeue: false));
        var b = Assert.Single(await queues.ReceiveAsync(queue, "b", "b1", 10, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await queues.AckAsync(queue, "b", [b.Receipt]));

        var letter = Assert.Single(await queues.GetDeadLettersAsync(queue));
        Assert.Equal("a", letter.Group);
        Assert.Equal(DeliveryBook.RejectedReason, letter.Reason);
    }

    [Fact]
    public async Task A_consumer_that_joins_takes_over_partitions()
    {
        var queue = NewName("join");
        var queues = fixture.Queues;
        Assert.Empty(await queues.ReceiveAsync(queue, "g", "first", 1000));
        Assert.Empty(await queues.ReceiveAsync(queue, "g", "second", 1000));
        await queues.PublishAsync(queue, Enumerable.Range(0, 200).Select(i => new QueueMessage($"j-{i}", $"k{i}", [1])).ToList());

        var first = await ReceiveAllAsync(queue, "g", "first", expectAtLeast: 1);
        var second = await ReceiveAllAsync(queue, "g", "second", expectAtLeast: 1);

        var firstPartitions = first.Select(m => m.Partition).ToHashSet();
        var secondPartitions = second.Select(m => m.Partition).ToHashSet();
        Assert.Empty(firstPartitions.Intersect(secondPartitions));
        Assert.Equal(200, first.Concat(second).Select(m => m.Id).Distinct().Count());
        Assert.Equal(2, (await queues.GetInfoAsync(queue)).Groups.Single().Consumers.Count);
    }

    [Fact]
    public async Task A_consumer_whose_lease_expires_has_its_in_flight_messages_redelivered_to_the_others()
    {
        var queue = NewName("lease");
        var queues = fixture.Queues;
        Assert.Empty(await queues.ReceiveAsync(queue, "g", "doomed", 1000));
        await queues.PublishAsync(queue, Enumerable.Range(0, 40).Select(i => new QueueMessage($"l-{i}", $"k{i}", [1])).ToList());

        // "doomed" owns every partition, takes what it may with a long visibility, then goes silent.
        var held = await queues.ReceiveAsync(queue, "g", "doomed", 1000, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        Assert.NotEmpty(held);

        var started = DateTimeOffset.UtcNow;
        var taken = new Dictionary<string, QueueDelivery>(StringComparer.Ordinal);
        await Eventually.UntilAsync(
            async () =>
            {
                foreach (var message in await queues.ReceiveAsync(queue, "g", "survivor", 1000, TimeSpan.FromSeconds(2)))
                {
                    taken[message.Id] = message;
                    await queues.AckAsync(queue, "g", [message.Receipt]);
                }

                return taken.Count == 40;
            },
            Deadline,
            "the survivor receives every message, including those the silent consumer held");

        await AssertTheSurvivorTookOverAsync(queues, queue, held, taken, started);
    }

    [Fact]
    public async Task A_member_receiving_on_its_remembered_assignment_takes_over_a_silent_members_partitions_at_lease_expiry()
    {
        var queue = NewName("lease-member");
        var queues = fixture.Queues;
        Assert.Empty(await queues.ReceiveAsync(queue, "g", "doomed", 1000));
        Assert.Empty(await queues.ReceiveAsync(queue, "g", "survivor", 1000));
        Assert.Equal(2, (await queues.GetInfoAsync(queue)).Groups.Single().Consumers.Count);

        // Keys over every partition, published without pause, so the survivor's receives hand out messages and ride
        // on the broker's remembered heartbeat answers instead of asking the group each time.
        using var stop = new CancellationTokenSource();
        var publisher = new ContinuousPublisher(queues, queue, publisher: 0, keys: 16, batchSize: 10);
        var publishing = publisher.RunAsync(stop.Token);
        var held = new List<QueueDelivery>();
        await Eventually.UntilAsync(
            async () =>
            {
                held.AddRange(await queues.ReceiveAsync(queue, "g", "doomed", 1000, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)));
                return held.Count > 0;
            },
            Deadline,
            "the doomed consumer takes messages of its partitions");

        // "doomed" goes silent holding them for 10 minutes; the survivor keeps receiving and acking.
        var started = DateTimeOffset.UtcNow;
        var taken = new Dictionary<string, QueueDelivery>(StringComparer.Ordinal);
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var batch = await queues.ReceiveAsync(queue, "g", "survivor", 1000, TimeSpan.FromSeconds(1));
                    foreach (var message in batch)
                    {
                        taken[message.Id] = message;
                    }

                    if (batch.Count > 0)
                    {
                        await queues.AckAsync(queue, "g", batch.Select(m => m.Receipt));
                    }

                    return held.All(m => taken.ContainsKey(m.Id));
                },
                Deadline,
                "the survivor gets the messages the silent consumer held");
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        await AssertTheSurvivorTookOverAsync(queues, queue, held, taken, started);
    }

    [Fact]
    public async Task A_subscription_holds_no_more_than_its_prefetch_while_its_handlers_are_busy_and_keeps_key_order()
    {
        var queue = NewName("sub-prefetch");
        var queues = fixture.Queues;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var mostRunning = 0;
        var handled = new System.Collections.Concurrent.ConcurrentQueue<QueueDelivery>();
        var subscription = await queues.SubscribeAsync(
            queue,
            "g",
            async (delivery, _) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostRunning, now);
                await gate.Task;
                handled.Enqueue(delivery);
                Interlocked.Decrement(ref running);
            },
            new Client.Queues.QueueSubscriptionOptions { Prefetch = 10, Concurrency = 3 });
        try
        {
            await Eventually.UntilAsync(
                async () => (await queues.GetInfoAsync(queue)).Groups.SingleOrDefault()?.Consumers.Count == 1,
                Deadline,
                "the subscription joined");
            var ids = await queues.PublishAsync(queue, Enumerable.Range(0, 60).Select(i => new QueueMessage($"s-{i}", $"k{i % 6}", [(byte)i])).ToList());

            // Handlers are blocked: the subscription may hold its prefetch (10) and not one message more.
            var info = await Eventually.UntilAsync(() => queues.GetInfoAsync(queue), i => i.InFlight >= 10, Deadline, "the subscription fills its prefetch");
            Assert.Equal(10, info.InFlight);

            // Held by the broker's count is not yet running: the deliveries may still be on their way to the handlers.
            await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref running) >= 1), Deadline, "a handler starts");
            Assert.InRange(Volatile.Read(ref mostRunning), 1, 3);
            Assert.Equal(10, (await queues.GetInfoAsync(queue)).InFlight);

            gate.SetResult();
            await Eventually.UntilAsync(() => Task.FromResult(handled.Count >= ids.Count), Deadline, "every message is handled");
            Assert.Equal(ids.Order(), handled.Select(m => m.Id).Order());
            foreach (var key in handled.GroupBy(m => m.Key))
            {
                var order = key.Select(m => int.Parse(m.Id[2..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(order.Order(), order);
            }

            await Eventually.UntilAsync(() => queues.GetInfoAsync(queue), i => i.Groups.Single().Pending == 0, Deadline, "every message is acked");
        }
        finally
        {
            // Blocked handlers would hold the disposal up for ever if an assertion above failed.
            gate.TrySetResult();
            await subscription.DisposeAsync();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task A_consumer_holds_no_more_than_its_prefetch_bound_until_it_acks()
    {
        var queue = NewName("prefetch");
        var queues = fixture.Queues;
        await queues.PublishAsync(queue, Enumerable.Range(0, 400).Select(i => new QueueMessage($"p-{i}", $"k{i}", [1])).ToList());

        var held = new List<QueueDelivery>();
        while (true)
        {
            var batch = await queues.ReceiveAsync(queue, "g", "greedy", 1000);
            if (batch.Count == 0)
            {
                break;
            }

            held.AddRange(batch);
        }

        // Default MaxInFlightPerConsumer is 100, enforced as a rounded-up share per owned partition (4 × 25).
        Assert.InRange(held.Count, 1, 100);
        Assert.Equal(held.Count, (await queues.GetInfoAsync(queue)).InFlight);

        Assert.Equal(held.Count, await queues.AckAsync(queue, "g", held.Select(m => m.Receipt)));
        Assert.NotEmpty(await queues.ReceiveAsync(queue, "g", "greedy", 1000));
    }

    [Fact]
    public async Task Acks_carried_by_a_receive_are_applied_before_it_hands_out_so_the_prefetch_bound_still_holds()
    {
        var queue = NewName("ack-and-receive");
        var broker = fixture.Cluster.Client.GetGrain<IQueueBrokerGrain>(0);
        var visibility = TimeSpan.FromSeconds(30);
        await fixture.Queues.PublishAsync(queue, Enumerable.Range(0, 400).Select(i => new QueueMessage($"a-{i}", $"k{i}", [1])).ToList());

        var held = new List<QueueDelivery>();
        for (var batch = await broker.Receive(queue, "g", "c", 1000, TimeSpan.Zero, visibility); batch.Count > 0;
             batch = await broker.Receive(queue, "g", "c", 1000, TimeSpan.Zero, visibility))
        {
            held.AddRange(batch);
        }

        Assert.InRange(held.Count, 1, 100);

        // Bad receipts: rejected before anything is acknowledged or handed out.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.AckAndReceive(queue, "g", "c", ["nope"], 10, TimeSpan.Zero, visibility));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.AckAndReceive(queue, "g", "c", [held[0].Receipt], 0, TimeSpan.Zero, visibility));
        Assert.Equal(held.Count, (await fixture.Queues.GetInfoAsync(queue)).InFlight);

        // Acking ten (plus a stale receipt of a partition that does not exist) frees room for exactly ten more.
        var acked = held.Take(10).Select(m => m.Receipt).Append("9-0-1").ToList();
        var next = await broker.AckAndReceive(queue, "g", "c", acked, 1000, TimeSpan.Zero, visibility);

        Assert.Equal(10, next.Count);
        Assert.Empty(next.Select(m => m.Id).Intersect(held.Select(m => m.Id)));
        Assert.Equal(held.Count, (await fixture.Queues.GetInfoAsync(queue)).InFlight);
        Assert.Equal(0, await fixture.Queues.AckAsync(queue, "g", held.Take(10).Select(m => m.Receipt)));
    }

    [Fact]
    public async Task A_repeated_message_id_is_stored_once_within_the_dedupe_window()
    {
        var queue = NewName("dedupe");
        var queues = fixture.Queues;
        var ids = await queues.PublishAsync(queue, [
            new QueueMessage("same", "k", Encoding.UTF8.GetBytes("1")),
            new QueueMessage("same", "k", Encoding.UTF8.GetBytes("2")),
            new QueueMessage(null, null, Encoding.UTF8.GetBytes("3")),
        ]);
        Assert.Equal("same", ids[0]);
        Assert.Equal("same", ids[1]);
        Assert.False(string.IsNullOrEmpty(ids[2]));

        Assert.Equal(["same"], await queues.PublishAsync(queue, [new QueueMessage("same", "k", Encoding.UTF8.GetBytes("4"))]));

        var info = await queues.GetInfoAsync(queue);
        Assert.Equal(2, info.Depth);
        var received = await ReceiveAllAsync(queue, "g", "c", expectAtLeast: 2);
        Assert.Equal(2, received.Count);
        Assert.Equal("1", Encoding.UTF8.GetString(received.Single(m => m.Id == "same").Body));
    }

    [Fact]
    public async Task Messages_without_key_or_id_of_one_publish_share_a_partition_and_a_republish_of_their_ids_is_stored_once()
    {
        var queue = NewName("sticky");
        var queues = fixture.Queues;
        var ids = await queues.PublishAsync(queue, Enumerable.Range(0, 20).Select(i => new QueueMessage(null, null, [(byte)i])).ToList());
        Assert.Equal(20, ids.Distinct(StringComparer.Ordinal).Count());

        // Under the default prefetch share (25 per partition for a consumer of all 4), so all 20 can be held at once.
        var received = await ReceiveAllAsync(queues, queue, "g", ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), received.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Single(received.Select(d => d.Partition).Distinct());
        Assert.Equal(ids, received.OrderBy(d => d.Offset).Select(d => d.Id));

        // The ids route to the partition they were stored in, so a republish by id is caught by its dedupe window.
        Assert.Equal(ids.Take(5), await queues.PublishAsync(queue, ids.Take(5).Select(id => new QueueMessage(id, null, [9])).ToList()));
        Assert.Equal(20, (await queues.GetInfoAsync(queue)).Depth);
    }

    [Fact]
    public async Task A_failing_handler_nacks_and_the_message_comes_back()
    {
        var queue = NewName("retry");
        var queues = fixture.Queues;
        var attempts = 0;
        var done = new TaskCompletionSource<QueueDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await queues.SubscribeAsync(queue, "g", (message, _) =>
        {
            if (Interlocked.Increment(ref attempts) < 2)
            {
                throw new InvalidOperationException("first attempt fails");
            }

            done.TrySetResult(message);
            return Task.CompletedTask;
        }))
        {
            await queues.PublishAsync(queue, [new QueueMessage("r", "k", [42])]);
            var delivered = await done.Task.WaitAsync(Deadline);
            Assert.Equal(2, delivered.DeliveryCount);
        }

        var info = await Eventually.UntilAsync(() => queues.GetInfoAsync(queue), i => i.Groups.Single().Pending == 0, Deadline, "the retried message is acked");
        Assert.Empty(info.Groups.Single().Consumers); // dispose left the group
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_argument_exceptions_by_the_client_and_by_the_broker_grain()
    {
        var queues = fixture.Queues;
        var broker = fixture.Cluster.Client.GetGrain<IQueueBrokerGrain>(0);
        var ok = new QueueMessage("id", "key", [1]);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("bad name", [ok]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("q", []));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("q", [ok with { Body = new byte[QueueLimits.MaxBodyBytes + 1] }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("q", Enumerable.Repeat(ok, QueueLimits.MaxMessagesPerPublish + 1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("q", [ok with { Key = "" }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.PublishAsync("q", [ok with { Id = "a\nb" }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.ReceiveAsync("q", "g", "c", max: 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.ReceiveAsync("q", "g", "c", max: 1001));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.ReceiveAsync("q", "g", "c", visibility: TimeSpan.FromMilliseconds(10)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.ReceiveAsync("q", "g", "c", wait: TimeSpan.FromMinutes(6)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.ReceiveAsync("q", "g", "bad consumer"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.AckAsync("q", "g", ["not-a-receipt"]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => queues.AckAsync("q", "g", []));

        // The grain checks again for callers that bypass the client.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.Publish("q", [ok with { Body = new byte[QueueLimits.MaxBodyBytes + 1] }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.Receive("q", "g", "c", 0, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.Ack("q", "g", ["1-2"]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => broker.GetDeadLetters("q", null, 0));
    }

    private async Task<List<QueueDelivery>> ReceiveAllAsync(string queue, string group, string consumer, int expectAtLeast)
    {
        var all = new List<QueueDelivery>();
        while (true)
        {
            var batch = await fixture.Queues.ReceiveAsync(queue, group, consumer, 1000, all.Count < expectAtLeast ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);
            if (batch.Count == 0)
            {
                return all;
            }

            all.AddRange(batch);
            await fixture.Queues.AckAsync(queue, group, batch.Select(m => m.Receipt));
        }
    }

    [Fact]
    public async Task Seek_to_zero_replays_every_partition_of_one_group_and_leaves_other_groups_alone()
    {
        var queue = NewName("replay");
        var queues = fixture.Queues;
        var ids = Enumerable.Range(0, 40).Select(i => $"m{i}").ToList();
        await queues.PublishAsync(queue, ids.Select((id, i) => new QueueMessage(id, $"k{i % 8}", [(byte)i])).ToList());
        foreach (var group in (string[])["a", "b"])
        {
            var all = await ReceiveAllAsync(queues, queue, group, ids.Count);
            Assert.Equal(ids.Count, await queues.AckAsync(queue, group, all.Select(d => d.Receipt)));
        }

        var positions = await queues.SeekAsync(queue, "a", 0);

        Assert.Equal([0, 1, 2, 3], positions.Select(p => p.Partition));
        Assert.All(positions, p => Assert.Equal(0, p.Offset));
        var replayed = await ReceiveAllAsync(queues, queue, "a", ids.Count);
        Assert.Equal(ids.Order(), replayed.Select(d => d.Id).Order());
        Assert.All(replayed, d => Assert.Equal(1, d.DeliveryCount));
        Assert.Empty(await queues.ReceiveAsync(queue, "b", "b-c", 100));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queues.SeekAsync(queue, "a", 1000, partition: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queues.SeekAsync(queue, "a", 0, partition: 4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queues.SeekAsync(queue, "a", -1));
    }

    private static async Task<List<QueueDelivery>> ReceiveAllAsync(Client.Queues.IQueueService queues, string queue, string group, int count)
    {
        var received = new List<QueueDelivery>();
        await Eventually.UntilAsync(
            async () =>
            {
                received.AddRange(await queues.ReceiveAsync(queue, group, $"{group}-c", 100, TimeSpan.FromSeconds(1)));
                return received.Count >= count;
            },
            Deadline,
            $"group {group} receives {count} messages");
        return received;
    }

    /// <summary>The silent consumer's messages came back once each, at its lease expiry, and only the survivor is left.</summary>
    private static async Task AssertTheSurvivorTookOverAsync(
        Client.Queues.IQueueService queues, string queue, IEnumerable<QueueDelivery> held, IReadOnlyDictionary<string, QueueDelivery> taken, DateTimeOffset started)
    {
        Assert.All(held, m => Assert.Equal(2, taken[m.Id].DeliveryCount));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromMinutes(1), "released at lease expiry, long before the 10-minute visibility");
        Assert.Equal(["survivor"], (await queues.GetInfoAsync(queue)).Groups.Single().Consumers);
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
