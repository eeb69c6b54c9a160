using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// Primary-backup on the PostgreSQL profile with real Silo processes: continuous writes at majority while the primary's
/// silo is killed with SIGKILL and started again. No acknowledged write is lost, versions never go backwards, the epoch
/// rises and the old epoch is refused.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ReplicaPostgresCrashTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    // Writes resume once the dead silo is declared dead and the group has failed over; both are bounded by failure detection.
    private static readonly TimeSpan RecoveryDeadline = SiloSettings.FailureDetectionDeadline * 4;

    private const int Writers = 4;

    [Fact]
    public async Task Kill_9_of_the_primary_silo_under_majority_writes_loses_no_acknowledged_write_and_fences_the_old_epoch()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = SiloSettings.Postgres(database.ConnectionString, fastFailureDetection: true);

        // The machine is shared: a silo may wait longer than the default 5 s for its first database connection.
        settings["DatabaseConnectTimeout"] = "00:00:30";
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var silo = SiloProcess.Start(settings, name: $"replica-{i}");
                silos.Add(silo);
                await silo.WaitHealthyAsync(StartDeadline);
            }

            await using var client = await ClientHost.ConnectAsync(connectionString: database.ConnectionString);
            var replicas = client.Services.GetRequiredService<IReplicaService>();
            var group = "crash/orders";
            var configured = await Eventually.UntilAsync(
                () => replicas.ConfigureAsync(group, replicas: 3),
                s => s.DistinctSilos && s.Copies.All(c => c.Silo is not null),
                StartDeadline,
                "the group's three copies answer from three silos");
            var primarySilo = configured.Copies[configured.Primary].Silo!;
            var victimIndex = silos.FindIndex(s => primarySilo.EndsWith($":{s.SiloPort}", StringComparison.Ordinal));
            Assert.True(victimIndex >= 0, $"primary on {primarySilo}, which is none of the started silos");

            var acknowledged = new ConcurrentDictionary<string, (string Value, long Version)>();
            var failures = new ConcurrentBag<Exception>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilStoppedAsync(replicas, group, w, acknowledged, failures, stop.Token))).ToList();

            await WaitForAcksAsync(acknowledged, 100, "writes acknowledged before the kill");
            silos[victimIndex].Kill();
            var atKill = acknowledged.Count;
            await WaitForAcksAsync(acknowledged, atKill + 100, "writes acknowledged after the kill (failover done)");

            var restarted = silos[victimIndex].Restart();
            await silos[victimIndex].DisposeAsync();
            silos[victimIndex] = restarted;
            await restarted.WaitHealthyAsync(StartDeadline);
            var atRestart = acknowledged.Count;
            await WaitForAcksAsync(acknowledged, atRestart + 100, "writes acknowledged after the restart");

            await stop.CancelAsync();
            await Task.WhenAll(writers);

            // Every acknowledged write is readable with its value, from the primary and from a majority.
            foreach (var (key, (value, version)) in acknowledged)
            {
                var primary = await replicas.GetAsync(group, key, ReadConsistency.Primary);
                Assert.True(primary.Found, $"{key} (version {version}) lost");
                Assert.Equal(value, Text(primary.Value));
                Assert.Equal(version, primary.Version);
                var majority = await replicas.GetAsync(group, key, ReadConsistency.Majority);
                Assert.Equal(value, Text(majority.Value));
                Assert.Equal(version, majority.Version);
            }

            // The epoch rose, and once the restarted silo is back every copy catches up with the primary.
            var status = await Eventually.UntilAsync(
                () => replicas.GetStatusAsync(group),
                s => s.Copies.All(c => c.Role != ReplicaRole.Unreachable && c.Lag == 0),
                RecoveryDeadline,
                "every copy holds everything the primary has");
            Assert.True(status.Epoch >= 2, $"epoch {status.Epoch} after a failover");
            Assert.All(status.Copies, c => Assert.Equal(status.Epoch, c.Epoch));

            // The old epoch is refused by every copy: a late batch of epoch 1 changes nothing, and nobody is primary of it.
            for (var i = 0; i < 3; i++)
            {
                var copy = client.Grains.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(group, i));
                var state = await copy.GetState();
                var late = await copy.Apply(1, state.High, [new ReplicaChange("late", Encoding.UTF8.GetBytes("late"), state.High + 1, 1, false)], state.High + 1, true);
                Assert.Equal(ReplicaApplyStatus.StaleEpoch, late.Status);
                var write = await copy.Write(1, "late", Encoding.UTF8.GetBytes("late"), WriteConsistency.One, null);
                Assert.Equal(ReplicaWriteStatus.NotPrimary, write.Status);
            }

            Assert.False((await replicas.GetAsync(group, "late", ReadConsistency.Majority)).Found);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }

        async Task WaitForAcksAsync(ConcurrentDictionary<string, (string Value, long Version)> acked, int count, string description) =>
            await Eventually.UntilAsync(() => Task.FromResult(acked.Count >= count), RecoveryDeadline, $"{count} {description}");
    }

    /// <summary>One writer: new keys one after another at majority; checks its acknowledged versions only ever grow.</summary>
    private static async Task WriteUntilStoppedAsync(
        IReplicaService replicas, string group, int writer, ConcurrentDictionary<string, (string Value, long Version)> acknowledged, ConcurrentBag<Exception> failures, CancellationToken stop)
    {
        var lastVersion = 0L;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"w{writer}/k{n}");
            var value = string.Create(CultureInfo.InvariantCulture, $"value {writer}.{n}");
            try
            {
                var result = await replicas.SetAsync(group, key, Encoding.UTF8.GetBytes(value), WriteConsistency.Majority);
                Assert.True(result.Version > lastVersion, $"writer {writer}: version {result.Version} after {lastVersion}");
                Assert.True(result.Acks >= 2, $"majority write acknowledged by {result.Acks}");
                lastVersion = result.Version;
                acknowledged[key] = (value, result.Version);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                // Not acknowledged (the primary's silo died mid-write, or the failover is under way): it may or may not
                // exist, and nothing is asserted about it.
                failures.Add(ex);
            }
        }
    }

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
