using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// First deliveries are persisted after answering (within <see cref="QueueOptions.DeliveryFlushDelay"/>), not before:
/// a real Silo process on PostgreSQL, killed with SIGKILL after a receive, shows both sides of that window.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class QueuePostgresDeliveryFlushTests
{
    private const string Queue = "flush-orders";
    private const string Group = "g";
    private const string Consumer = "c";
    private const int Messages = 10;

    /// <summary>Far beyond the test's run, so a message handed out again did not come back by its visibility timeout.</summary>
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The restarted silo must be declared the successor of the killed one and serve the queue again.</summary>
    private static readonly TimeSpan RecoveryDeadline = SiloSettings.FailureDetectionDeadline * 3;

    [Fact]
    public async Task First_deliveries_are_persisted_shortly_after_the_receive_and_stay_invisible_after_a_kill()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = Settings(database.ConnectionString);
        var silo = SiloProcess.Start(settings, name: "flush");
        try
        {
            await silo.WaitHealthyAsync(StartDeadline);
            await using (var client = await ClientHost.ConnectAsync(gateway: $"127.0.0.1:{silo.GatewayPort}"))
            {
                var queues = client.Services.GetRequiredService<IQueueService>();
                var versions = await ClaimThenPublishAsync(queues, database);
                await ReceiveAllAsync(queues, "the first receive");

                // Nothing else changes the group's state: only the flush after the receive can write it.
                await Eventually.UntilAsync(
                    async () => await StoredVersionsAsync(database) > versions,
                    RecoveryDeadline,
                    "the receive's deliveries are written to the grain state without any later call");
            }

            silo = await KillAndRestartAsync(silo);
            await using var restarted = await ClientHost.ConnectAsync(gateway: $"127.0.0.1:{silo.GatewayPort}");
            var after = restarted.Services.GetRequiredService<IQueueService>();
            var info = await Eventually.UntilAsync(() => after.GetInfoAsync(Queue), _ => true, RecoveryDeadline, "the restarted silo answers");
            Assert.Equal(Messages, info.InFlight);
            Assert.Empty(await after.ReceiveAsync(Queue, Group, Consumer, Messages, TimeSpan.FromSeconds(2), Visibility));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task First_deliveries_not_yet_persisted_when_the_silo_is_killed_are_handed_out_again_at_once_with_the_same_delivery_count()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = Settings(database.ConnectionString);

        // No flush before the kill: the deliveries live only in the killed process.
        settings["Queues:DeliveryFlushDelay"] = "00:10:00";
        var silo = SiloProcess.Start(settings, name: "noflush");
        try
        {
            await silo.WaitHealthyAsync(StartDeadline);
            IReadOnlyList<QueueDelivery> first;
            await using (var client = await ClientHost.ConnectAsync(gateway: $"127.0.0.1:{silo.GatewayPort}"))
            {
                var queues = client.Services.GetRequiredService<IQueueService>();
                var versions = await ClaimThenPublishAsync(queues, database);
                first = await ReceiveAllAsync(queues, "the first receive");
                Assert.Equal(versions, await StoredVersionsAsync(database));
            }

            silo = await KillAndRestartAsync(silo);
            await using var restarted = await ClientHost.ConnectAsync(gateway: $"127.0.0.1:{silo.GatewayPort}");
            var after = restarted.Services.GetRequiredService<IQueueService>();
            var info = await Eventually.UntilAsync(() => after.GetInfoAsync(Queue), _ => true, RecoveryDeadline, "the restarted silo answers");
            Assert.Equal(0, info.InFlight);
            Assert.Equal(Messages, info.Depth);

            // Well inside the visibility timeout, and as first deliveries: the killed silo's deliveries were forgotten.
            var again = await ReceiveAllAsync(after, "the receive after the restart");
            Assert.Equal(first.Select(d => d.Id), again.Select(d => d.Id));
            Assert.All(again, d => Assert.Equal(1, d.DeliveryCount));
            Assert.Equal(Messages, await after.AckAsync(Queue, Group, again.Select(d => d.Receipt)));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Settings(string connectionString)
    {
        var settings = SiloSettings.Postgres(connectionString, fastFailureDetection: true);
        settings["DatabaseConnectTimeout"] = "00:00:30";
        return settings;
    }

    /// <summary>
    /// An empty receive makes the consumer claim every partition (persisted before answering), then one key's messages
    /// are published; answers the grain-state versions of the group's partitions at that point.
    /// </summary>
    private static async Task<long> ClaimThenPublishAsync(IQueueService queues, PostgresTestDatabase database)
    {
        Assert.Empty(await Eventually.UntilAsync(
            () => queues.ReceiveAsync(Queue, Group, Consumer, Messages, TimeSpan.Zero, Visibility), _ => true, StartDeadline, "the silo serves receives"));
        var versions = await StoredVersionsAsync(database);
        await queues.PublishAsync(Queue, Enumerable.Range(0, Messages).Select(i => new QueueMessage($"m{i}", "one-key", [(byte)i])).ToList());
        return versions;
    }

    private static async Task<List<QueueDelivery>> ReceiveAllAsync(IQueueService queues, string description)
    {
        var received = new List<QueueDelivery>();
        await Eventually.UntilAsync(
            async () =>
            {
                received.AddRange(await queues.ReceiveAsync(Queue, Group, Consumer, Messages, TimeSpan.FromSeconds(1), Visibility));
                return received.Count >= Messages;
            },
            RecoveryDeadline,
            $"{description} hands out all {Messages} messages");
        Assert.Equal(Messages, received.Count);
        Assert.All(received, d => Assert.Equal(1, d.DeliveryCount));
        return received;
    }

    private static async Task<SiloProcess> KillAndRestartAsync(SiloProcess silo)
    {
        silo.Kill();
        var restarted = silo.Restart();
        await silo.DisposeAsync();
        await restarted.WaitHealthyAsync(StartDeadline);
        return restarted;
    }

    /// <summary>Sum of the row versions of every group-partition state: grows with each write of one.</summary>
    private static async Task<long> StoredVersionsAsync(PostgresTestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(SUM(version), 0) FROM orleanssync_grain_record WHERE state_name = 'consumer-group-partition'", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
