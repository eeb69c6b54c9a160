using OrleansSync.Client.Queues;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>Queues on the PostgreSQL profile: what was acknowledged to a publisher, or to a group, outlives the cluster.</summary>
public sealed class QueuePostgresTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Published_messages_and_group_progress_survive_a_full_cluster_restart()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var serviceId = "queues-" + Guid.NewGuid().ToString("N")[..8];
        const string queue = "durable-orders";
        const int messages = 10_000;
        var before = new KeyOrderRun(queue, keys: 16, messages);

        await using (var first = await PostgresProfileCluster.StartAsync(database.ConnectionString, 2, serviceId))
        {
            var queues = new QueueService(first.Client);
            var subscriptions = await before.SubscribeAsync(queues, "early", 3);
            await before.PublishAsync(queues);
            await before.WaitForAllAsync(Deadline);
            before.AssertEveryGroupGotEveryMessageInKeyOrder();
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }

            await Eventually.UntilAsync(
                () => queues.GetInfoAsync(queue), i => i.Groups.Single().Pending == 0, Deadline, "the early group settles everything before the restart");
            await first.StopAllSilosAsync();
        }

        Assert.Equal(messages, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_messages WHERE queue = 'durable-orders'"));

        await using var second = await PostgresProfileCluster.StartAsync(database.ConnectionString, 2, serviceId);
        var restarted = new QueueService(second.Client);

        // A new group reads the whole log written by the previous cluster, complete and in key order.
        var after = new KeyOrderRun(queue, keys: 16, messages);
        var late = await after.SubscribeAsync(restarted, "late", 3);
        try
        {
            await after.WaitForAllAsync(Deadline);
            after.AssertEveryGroupGotEveryMessageInKeyOrder();
        }
        finally
        {
            foreach (var subscription in late)
            {
                await subscription.DisposeAsync();
            }
        }

        // The early group's committed progress survived: it gets only what is published now, at the next offsets.
        var info = await restarted.GetInfoAsync(queue);
        Assert.Equal(messages, info.Depth);
        Assert.Equal(4, info.Partitions);
        Assert.Equal(["early", "late"], info.Groups.Select(g => g.Group));
        await restarted.PublishAsync(queue, [new QueueMessage("after-restart", "key-0", [7])]);
        var fresh = Assert.Single(await restarted.ReceiveAsync(queue, "early", "early-c0", 1000, TimeSpan.FromSeconds(10)));
        Assert.Equal("after-restart", fresh.Id);
        Assert.Equal(1, await restarted.AckAsync(queue, "early", [fresh.Receipt]));

        // The dedupe window is in the database too: a retry of a message from before the restart is not stored again.
        Assert.Equal(["m-5"], await restarted.PublishAsync(queue, [new QueueMessage("m-5", KeyOrderRun.KeyOf(5, 16), [5])]));
        Assert.Equal(messages + 1, (await restarted.GetInfoAsync(queue)).Depth);
        await second.StopAllSilosAsync();
    }

    [Fact]
    public async Task Dead_letters_are_stored_in_postgres_and_replay_after_a_restart()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var serviceId = "queues-dl-" + Guid.NewGuid().ToString("N")[..8];
        const string queue = "durable-poison";

        await using (var first = await PostgresProfileCluster.StartAsync(database.ConnectionString, 1, serviceId))
        {
            var queues = new QueueService(first.Client);
            await queues.PublishAsync(queue, [new QueueMessage("p", "k", "{\"x\":1}"u8.ToArray(), new Dictionary<string, string> { ["trace"] = "t-1" })]);
            var message = Assert.Single(await queues.ReceiveAsync(queue, "g", "c", 10, TimeSpan.FromSeconds(10)));
            Assert.Equal("t-1", message.Headers["trace"]);
            Assert.Equal(1, await queues.NackAsync(queue, "g", [message.Receipt], requeue: false));
            await first.StopAllSilosAsync();
        }

        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_dead_letters WHERE queue = 'durable-poison'"));

        await using var second = await PostgresProfileCluster.StartAsync(database.ConnectionString, 1, serviceId);
        var restarted = new QueueService(second.Client);
        var letter = Assert.Single(await restarted.GetDeadLettersAsync(queue));
        Assert.Equal("p", letter.Message.Id);
        Assert.Equal("t-1", letter.Message.Headers["trace"]);
        Assert.Equal(DeliveryBook.RejectedReason, letter.Reason);

        Assert.Equal(1, await restarted.ReplayDeadLettersAsync(queue, "g"));
        var again = Assert.Single(await restarted.ReceiveAsync(queue, "g", "c", 10, TimeSpan.FromSeconds(10)));
        Assert.Equal("p", again.Id);
        Assert.Equal("{\"x\":1}"u8.ToArray(), again.Body);
        Assert.Equal(1, await restarted.AckAsync(queue, "g", [again.Receipt]));
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_dead_letters"));
        await second.StopAllSilosAsync();
    }
}
