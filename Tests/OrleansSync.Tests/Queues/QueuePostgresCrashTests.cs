using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// Queues on the PostgreSQL profile with real Silo processes: publishers keep publishing and a group keeps consuming
/// while a silo hosting queue grains is killed with SIGKILL and restarted, several times. Every acknowledged publish
/// must reach that group and a group that reads the log afterwards, at least once; duplicates are counted and reported.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class QueuePostgresCrashTests(ITestOutputHelper output)
{
    private const string Queue = "crash-orders";
    private const int Kills = 3;
    private const int Publishers = 2;
    private const int KeysPerPublisher = 8;

    /// <summary>Acknowledged publishes that show the cluster is serving again after a kill or a restart.</summary>
    private const int Progress = 200;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    /// <summary>A kill costs failure detection before the dead silo's grains activate elsewhere; then publishing resumes.</summary>
    private static readonly TimeSpan RecoveryDeadline = SiloSettings.FailureDetectionDeadline * 3;

    /// <summary>
    /// Draining after the kills may have to wait for a visibility timeout (30 s: deliveries lost with a dead silo) and a
    /// consumer lease (30 s), beside reading everything.
    /// </summary>
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Every_acknowledged_publish_is_delivered_at_least_once_while_a_silo_is_killed_and_restarted_repeatedly()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = SiloSettings.Postgres(database.ConnectionString, fastFailureDetection: true);

        // Start-up's database probe must not fail a silo on a machine busy with three silos starting and a publisher.
        settings["DatabaseConnectTimeout"] = "00:00:30";
        var silos = new List<SiloProcess>();
        var consumers = new List<IQueueSubscription>();
        try
        {
            // One after another: three processes starting at once on two cores are slow to answer anything.
            foreach (var name in (string[])["a", "b", "c"])
            {
                silos.Add(SiloProcess.Start(settings, name: name));
                await silos[^1].WaitHealthyAsync(StartDeadline);
            }

            // Gateways come from the membership table, so the client outlives any one silo (its gateway may be killed).
            await using var client = await ClientHost.ConnectAsync(connectionString: database.ConnectionString);
            var queues = client.Services.GetRequiredService<IQueueService>();
            var live = new DeliveryTally();
            var after = new DeliveryTally();
            try
            {
                consumers.AddRange(await SubscribeAsync(queues, "live", live));
                await RunAsync(client, queues, silos, live, after, consumers, database);
            }
            finally
            {
                foreach (var subscription in consumers)
                {
                    await subscription.DisposeAsync();
                }

                Report("live (consuming through the kills)", live);
                Report("after (started once publishing stopped)", after);
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private async Task RunAsync(
        ClientHost client, IQueueService queues, List<SiloProcess> silos, DeliveryTally live, DeliveryTally after, List<IQueueSubscription> consumers, PostgresTestDatabase database)
    {
        using var stop = new CancellationTokenSource();
        var publishers = Enumerable.Range(0, Publishers).Select(p => new ContinuousPublisher(queues, Queue, p, KeysPerPublisher, batchSize: 10)).ToList();
        var publishing = publishers.Select(p => Task.Run(() => p.RunAsync(stop.Token))).ToList();
        int Acknowledged() => publishers.Sum(p => p.Acknowledged.Count);
        async Task AwaitProgressAsync(string when)
        {
            var from = Acknowledged();
            await Eventually.UntilAsync(
                () => Task.FromResult(publishing.All(t => !t.IsCompleted) && Acknowledged() >= from + Progress),
                RecoveryDeadline,
                $"{Progress} more publishes are acknowledged {when} (from {from}, now {Acknowledged()})");
        }

        await AwaitProgressAsync("at start");
        var management = client.Grains.GetGrain<IManagementGrain>(0);
        var clock = Stopwatch.StartNew();
        for (var kill = 1; kill <= Kills; kill++)
        {
            // Kill the silo hosting the most queue grains (placement favours the caller's silo, so often all of them).
            var hosted = await QueueGrainsPerSiloPortAsync(client.Grains, management);
            var victim = silos.MaxBy(s => hosted.GetValueOrDefault(s.SiloPort))!;
            var grainsOnVictim = hosted.GetValueOrDefault(victim.SiloPort);
            Assert.True(grainsOnVictim > 0, $"kill {kill}: no queue grain found on any silo");

            var ackedAtKill = Acknowledged();
            victim.Kill();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} kill {kill}: {victim.Name} (pid {victim.ProcessId}, {grainsOnVictim} of {hosted.Values.Sum()} queue grains) after {ackedAtKill} acknowledged publishes"));
            await AwaitProgressAsync($"after kill {kill}");

            var restarted = victim.Restart();
            silos[silos.IndexOf(victim)] = restarted;
            await victim.DisposeAsync();
            await restarted.WaitHealthyAsync(StartDeadline);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} restarted {restarted.Name}; {Acknowledged()} acknowledged"));
            await AwaitProgressAsync($"after restart {kill}");
        }

        await stop.CancelAsync();
        await Task.WhenAll(publishing);
        var acknowledged = publishers.SelectMany(p => p.Acknowledged).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{clock.Elapsed:mm\\:ss} publishing stopped: {acknowledged.Count} acknowledged, {publishers.Sum(p => p.FailedAttempts)} failed attempts (retried with the same ids)"));

        // A group that starts after the crashes reads the log as it was left.
        consumers.AddRange(await SubscribeAsync(queues, "after", after));
        await Eventually.UntilAsync(
            () => Task.FromResult(live.Missing(acknowledged).Count == 0 && after.Missing(acknowledged).Count == 0),
            DrainDeadline,
            $"both groups receive all {acknowledged.Count} acknowledged messages (missing: live {live.Missing(acknowledged).Count}, after {after.Missing(acknowledged).Count})");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} both groups have every acknowledged message"));

        // Retried publishes are stored once (dedupe window), whatever the kills did to the attempts before.
        var (rows, distinctIds) = await CountLogAsync(database);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log rows {rows}, distinct ids {distinctIds}"));
        Assert.Equal(distinctIds, rows);
        Assert.True(rows >= acknowledged.Count, $"{rows} log rows for {acknowledged.Count} acknowledged publishes");

        Assert.Empty(live.Missing(acknowledged));
        Assert.Empty(after.Missing(acknowledged));

        // Consumed without crashes, the log's per-key order shows in the first deliveries.
        Assert.Empty(after.KeyOrderViolations());
    }

    private static async Task<List<IQueueSubscription>> SubscribeAsync(IQueueService queues, string group, DeliveryTally tally)
    {
        var subscriptions = new List<IQueueSubscription>();
        for (var c = 0; c < 2; c++)
        {
            subscriptions.Add(await queues.SubscribeAsync(
                Queue,
                group,
                (delivery, _) => tally.RecordAsync(delivery),
                new QueueSubscriptionOptions { ConsumerId = $"{group}-c{c}", Concurrency = 4 }));
        }

        return subscriptions;
    }

    /// <summary>How many of the queue's partition and group-partition grains each silo (by silo port) hosts now.</summary>
    private static async Task<Dictionary<int, int>> QueueGrainsPerSiloPortAsync(IGrainFactory grains, IManagementGrain management)
    {
        var references = new List<IAddressable>();
        var partitions = await grains.GetGrain<IQueueGrain>(Queue).GetPartitions();
        for (var p = 0; p < partitions; p++)
        {
            references.Add(grains.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(Queue, p)));
            references.Add(grains.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(Queue, "live", p)));
        }

        var perPort = new Dictionary<int, int>();
        foreach (var reference in references)
        {
            if (await management.GetActivationAddress(reference) is { } silo)
            {
                perPort[silo.Endpoint.Port] = perPort.GetValueOrDefault(silo.Endpoint.Port) + 1;
            }
        }

        return perPort;
    }

    private static async Task<(long Rows, long DistinctIds)> CountLogAsync(PostgresTestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT message_id) FROM orleanssync_queue_messages WHERE queue = @queue", connection);
        command.Parameters.AddWithValue("queue", Queue);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private void Report(string group, DeliveryTally tally)
    {
        var violations = tally.KeyOrderViolations();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"group {group}: {tally.Deliveries} deliveries of {tally.Distinct} messages, {tally.Duplicates} duplicate deliveries ({tally.MessagesDeliveredMoreThanOnce} messages more than once), {violations.Count} per-key order inversions of first deliveries"));
        foreach (var violation in violations.Take(10))
        {
            output.WriteLine("  " + violation);
        }
    }
}
