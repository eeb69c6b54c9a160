using Orleans.TestingHost;
using OrleansSync.Hashing;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>With MigrateOnMembershipChange, ring-placed activations move to their new owner by themselves when a silo joins.</summary>
public sealed class MigrateOnMembershipChangeTests : IAsyncLifetime
{
    private const int Grains = 300;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<MemoryProfileSiloConfigurator>();
        builder.AddSiloBuilderConfigurator<MigrateOnMembershipChangeConfigurator>();
        builder.AddClientBuilderConfigurator<OrleansSyncTestClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Activations_move_to_their_new_ring_owner_after_a_silo_joins()
    {
        var grains = Enumerable.Range(0, Grains).Select(i => _cluster.Client.GetGrain<IRingPlacedGrain>($"migrate-{i}")).ToArray();
        await Eventually.UntilAsync(() => OnOwnersAsync(grains, 3), TimeSpan.FromSeconds(60), "grains on their owners among 3 silos");
        var before = await Task.WhenAll(grains.Select(g => g.Where()));

        var added = await _cluster.StartAdditionalSiloAsync();

        await Eventually.UntilAsync(() => OnOwnersAsync(grains, 4), TimeSpan.FromSeconds(60), "every grain on its owner among 4 silos, without being called to move");
        var after = await Task.WhenAll(grains.Select(g => g.Where()));
        var moved = Enumerable.Range(0, Grains).Where(i => before[i] != after[i]).ToArray();
        Assert.NotEmpty(moved);
        Assert.All(moved, i => Assert.Equal(added.SiloAddress.Endpoint.ToString(), after[i]));
    }

    private async Task<bool> OnOwnersAsync(IRingPlacedGrain[] grains, int silos)
    {
        var active = _cluster.GetActiveSilos().Select(s => s.SiloAddress.Endpoint.ToString()).ToArray();
        if (active.Length != silos)
        {
            return false;
        }

        var ring = new ConsistentHashRing<string>().AddRange(active);
        var where = await Task.WhenAll(grains.Select(g => g.Where()));
        return grains.Select((g, i) => ring.GetOwner(g.GetGrainId().ToString()) == where[i]).All(ok => ok);
    }
}
