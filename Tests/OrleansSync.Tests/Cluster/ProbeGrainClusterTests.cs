using OrleansSync.Cluster;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ProbeGrainClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Test_cluster_has_three_active_silos_and_spreads_grains_over_them()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        await Eventually.UntilAsync(
            async () => (await management.GetHosts(onlyActive: true)).Count == ClusterFixture.SiloCount,
            TimeSpan.FromSeconds(30),
            "the membership table lists three active silos");

        var silos = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            var info = await fixture.Client.GetGrain<IProbeGrain>($"spread-{i}").Describe();
            silos.Add(info.Silo);
        }

        Assert.Equal(ClusterFixture.SiloCount, silos.Count);
    }

    [Fact]
    public async Task Probe_keeps_its_written_value_and_counts_writes()
    {
        var probe = fixture.Client.GetGrain<IProbeGrain>($"write-{Guid.NewGuid():N}");
        await probe.Write("a");
        var info = await probe.Write("b");

        Assert.Equal("b", info.Value);
        Assert.Equal(2, info.Writes);
        Assert.Equal(info, await probe.Describe());
    }

    [Fact]
    public async Task Probe_rejects_an_oversized_value_and_keeps_the_old_one()
    {
        var probe = fixture.Client.GetGrain<IProbeGrain>($"reject-{Guid.NewGuid():N}");
        await probe.Write("kept");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => probe.Write(new string('x', 4097)));

        Assert.Equal("kept", (await probe.Describe()).Value);
    }
}
