using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// Embedded profile: a group's configuration is stored in one silo's memory (Orleans memory grain storage). When that
/// silo dies the stored configuration is gone; here the loss is made on purpose (the stored state is cleared and the
/// group grain deactivated) and the group must come back from the records on its copies' silos.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaGroupRecoveryTests(ClusterFixture fixture)
{
    private IReplicaService Replicas => new ReplicaService(fixture.Client);

    [Fact]
    public async Task A_primary_backup_group_whose_stored_configuration_is_lost_recovers_it_and_keeps_its_data_and_versions()
    {
        var group = $"recover-pb-{Guid.NewGuid():N}";
        await Replicas.ConfigureAsync(group, replicas: 3);
        var first = await Replicas.SetAsync(group, "a", Bytes("1"), WriteConsistency.Majority);

        await LoseStoredConfigurationAsync(group);

        var status = await Replicas.GetStatusAsync(group);
        Assert.Equal(ReplicationMode.PrimaryBackup, status.Mode);
        Assert.Equal(3, status.Replicas);
        Assert.True(status.Epoch >= 1, $"epoch {status.Epoch}");
        var read = await Replicas.GetAsync(group, "a");
        Assert.True(read.Found);
        Assert.Equal("1", Encoding.UTF8.GetString(read.Value!));
        var next = await Replicas.SetAsync(group, "b", Bytes("2"), WriteConsistency.Majority);
        Assert.True(next.Version > first.Version, $"version {next.Version} after {first.Version}");
    }

    [Fact]
    public async Task A_multi_primary_group_whose_stored_configuration_is_lost_recovers_its_mode_and_copy_count()
    {
        var group = $"recover-mp-{Guid.NewGuid():N}";
        await Replicas.ConfigureAsync(group, ReplicationMode.MultiPrimary, replicas: 2);
        await Replicas.IncrementAsync(group, "hits", 5, WriteConsistency.All);

        await LoseStoredConfigurationAsync(group);

        var status = await Replicas.GetStatusAsync(group);
        Assert.Equal(ReplicationMode.MultiPrimary, status.Mode);
        Assert.Equal(2, status.Replicas);
        Assert.Equal(5, await Replicas.GetCounterAsync(group, "hits", ReadConsistency.Majority));
    }

    [Fact]
    public async Task A_group_never_configured_stays_unknown()
    {
        var group = $"recover-none-{Guid.NewGuid():N}";

        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.GetStatusAsync(group));
        await Assert.ThrowsAsync<ReplicaGroupNotFoundException>(() => Replicas.SetAsync(group, "k", Bytes("v")));
    }

    /// <summary>What a dead storage silo leaves behind: no stored configuration, and a group grain that must read it again.</summary>
    private async Task LoseStoredConfigurationAsync(string group)
    {
        var grain = fixture.Client.GetGrain<IReplicaGroupGrain>(group);
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);
        var stored = new GrainState<ReplicaGroupState>(new ReplicaGroupState());
        await storage.ReadStateAsync("replica-group", grain.GetGrainId(), stored);
        Assert.NotNull(stored.State);
        Assert.True(stored.State.Configured);
        await storage.ClearStateAsync("replica-group", grain.GetGrainId(), stored);
        await storage.ReadStateAsync("replica-group", grain.GetGrainId(), stored);
        Assert.False(stored.RecordExists);

        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
