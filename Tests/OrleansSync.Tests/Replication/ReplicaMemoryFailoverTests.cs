using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Orleans.Configuration;
using Orleans.TestingHost;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// Embedded profile, where a copy's data lives only in its silo's memory: the silo of the primary, or of the backup that
/// leads (the one a majority write waits for while the other trails), is killed under majority writes. The lost copy
/// comes back empty on another silo and is refilled; writes go on and no acknowledged write is lost.
/// </summary>
public sealed class ReplicaMemoryFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private TestCluster? _cluster;

    private TestCluster Cluster => _cluster ?? throw new InvalidOperationException("Not deployed.");

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<MemoryProfileSiloConfigurator>();
        builder.AddSiloBuilderConfigurator<FastFailureDetection>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        _cluster = await TestClusterDeployment.DeployAsync(builder);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public Task Killing_the_primary_silo_under_majority_writes_loses_no_acknowledged_write() =>
        KillUnderMajorityWritesAsync(status => status.Primary, expectNewEpoch: true);

    /// <summary>
    /// The leading backup is the lowest copy index besides the primary. Once it is gone, every majority write needs the
    /// trailing backup, which must then get each batch at once.
    /// </summary>
    [Fact]
    public Task Killing_the_leading_backups_silo_under_majority_writes_makes_the_trailing_backup_lead_and_loses_nothing() =>
        KillUnderMajorityWritesAsync(status => status.Copies.First(c => c.Index != status.Primary).Index, expectNewEpoch: false);

    private async Task KillUnderMajorityWritesAsync(Func<ReplicaGroupStatus, int> victimCopy, bool expectNewEpoch)
    {
        var replicas = new ReplicaService(Cluster.Client);

        // The test cluster's first silo holds its membership table: pick a group whose victim copy lives on another silo.
        var primarySilo = (Cluster.Primary ?? throw new InvalidOperationException("No primary silo.")).SiloAddress.Endpoint.ToString();
        string group;
        ReplicaGroupStatus status;
        var attempt = 0;
        do
        {
            group = string.Create(CultureInfo.InvariantCulture, $"memory-failover-{attempt++}-{Guid.NewGuid():N}");
            status = await replicas.ConfigureAsync(group, replicas: 3);
        }
        while (status.Copies[victimCopy(status)].Silo == primarySilo);

        Assert.True(status.DistinctSilos);
        var victim = Cluster.Silos.Single(s => s.SiloAddress.Endpoint.ToString() == status.Copies[victimCopy(status)].Silo);

        var acknowledged = new ConcurrentDictionary<string, (string Value, long Version)>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"w{w}/k{n}");
                var value = string.Create(CultureInfo.InvariantCulture, $"v{w}.{n}");
                try
                {
                    var result = await replicas.SetAsync(group, key, Encoding.UTF8.GetBytes(value), WriteConsistency.Majority);
                    acknowledged[key] = (value, result.Version);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Not acknowledged: nothing is asserted about it.
                }
            }
        })).ToList();

        await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count >= 50), Deadline, "50 writes acknowledged before the kill");
        await Cluster.KillSiloAsync(victim);
        var atKill = acknowledged.Count;
        await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count >= atKill + 50), Deadline, "50 writes acknowledged after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var (key, (value, version)) in acknowledged)
        {
            var majority = await replicas.GetAsync(group, key, ReadConsistency.Majority);
            Assert.True(majority.Found, $"{key} (version {version}) lost");
            Assert.Equal(value, Encoding.UTF8.GetString(majority.Value!));
            Assert.Equal(version, majority.Version);
            Assert.Equal(value, Encoding.UTF8.GetString((await replicas.GetAsync(group, key)).Value!));
        }

        // The lost copy is re-activated on a surviving silo (copies now share silos) and refilled by the new primary.
        var after = await Eventually.UntilAsync(
            () => replicas.GetStatusAsync(group),
            s => s.Copies.All(c => c.Role != ReplicaRole.Unreachable && c.Lag == 0),
            Deadline,
            "every copy holds everything the primary has");
        Assert.True(expectNewEpoch ? after.Epoch >= 2 : after.Epoch == status.Epoch, $"epoch {status.Epoch} -> {after.Epoch}");
        Assert.False(after.DistinctSilos);
        Assert.DoesNotContain(after.Copies, c => c.Silo == victim.SiloAddress.Endpoint.ToString());
    }

    /// <summary>Declares a killed silo dead within seconds (the shared fixture allows a minute for a loaded machine).</summary>
    private sealed class FastFailureDetection : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
    }
}
