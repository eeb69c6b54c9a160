using Orleans.Core.Internal;
using Orleans.Streams;
using OrleansSync.Hashing;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hashing;

/// <summary>The ring grain for application nodes: versions, persistence, notifications and validation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HashRingGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IHashRingGrain Ring(string name) => fixture.Client.GetGrain<IHashRingGrain>(name);

    [Fact]
    public async Task A_ring_never_changed_has_version_zero_and_no_nodes()
    {
        var snapshot = await Ring(Unique("never")).GetSnapshot();

        Assert.Equal(0, snapshot.Version);
        Assert.False(snapshot.Exists);
        Assert.Empty(snapshot.Nodes);
    }

    [Fact]
    public async Task Every_change_bumps_the_version_and_a_no_op_does_not()
    {
        var ring = Ring(Unique("versions"));

        var v1 = await ring.AddOrUpdateNode("cache-b", 1);
        var v2 = await ring.AddOrUpdateNode("cache-a", 2);
        var same = await ring.AddOrUpdateNode("cache-a", 2);
        var v3 = await ring.AddOrUpdateNode("cache-a", 3);
        var v4 = await ring.RemoveNode("cache-b");
        var absent = await ring.RemoveNode("cache-b");

        Assert.Equal([1L, 2, 2, 3, 4, 4], new[] { v1, v2, same, v3, v4, absent }.Select(s => s.Version));
        Assert.Equal([new HashRingNode("cache-a", 2), new HashRingNode("cache-b", 1)], v2.Nodes.ToArray());
        Assert.Equal([new HashRingNode("cache-a", 3)], v4.Nodes.ToArray());
    }

    [Fact]
    public async Task The_ring_survives_deactivation()
    {
        var name = Unique("persist");
        await Ring(name).AddOrUpdateNode("n1", 5);
        await Ring(name).AddOrUpdateNode("n2", 1);

        await fixture.Cluster.Client.GetGrain<IHashRingGrain>(name).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        await Eventually.UntilAsync(
            async () => !(await management.GetActiveGrains(GrainType.Create("hashring"))).Any(id => id.Key.ToString() == name),
            Deadline,
            "the ring grain deactivated");

        var snapshot = await Ring(name).GetSnapshot();
        Assert.Equal(2, snapshot.Version);
        Assert.Equal([new HashRingNode("n1", 5), new HashRingNode("n2", 1)], snapshot.Nodes.ToArray());
    }

    [Fact]
    public async Task Each_change_reaches_a_stream_subscriber_with_the_new_snapshot()
    {
        var name = Unique("notify");
        var received = new List<HashRingSnapshot>();
        var stream = fixture.Client.GetStreamProvider(ProviderNames.Streams)
            .GetStream<HashRingSnapshot>(StreamId.Create(HashRingStream.Namespace, name));
        var handle = await stream.SubscribeAsync((s, _) =>
        {
            lock (received)
            {
                received.Add(s);
            }

            return Task.CompletedTask;
        });
        try
        {
            await Ring(name).AddOrUpdateNode("x", 1);
            await Ring(name).AddOrUpdateNode("y", 4);
            await Ring(name).RemoveNode("x");

            await Eventually.UntilAsync(() => Task.FromResult(Count(received) == 3), Deadline, "three notifications");
            lock (received)
            {
                Assert.Equal([1L, 2, 3], received.Select(s => s.Version).Order());
                Assert.Equal([new HashRingNode("y", 4)], received.MaxBy(s => s.Version)!.Nodes.ToArray());
            }
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }

    [Theory]
    [InlineData("", 1, "node")]
    [InlineData("has space", 1, "node")]
    [InlineData("ok", 0, "weight")]
    [InlineData("ok", 1001, "weight")]
    [InlineData("ok", -5, "weight")]
    public async Task Bad_node_or_weight_is_an_ArgumentException_naming_it(string node, int weight, string parameter)
    {
        var ring = Ring(Unique("bad"));

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ring.AddOrUpdateNode(node, weight));

        // Orleans carries the message across the grain call, not ParamName.
        Assert.Contains(parameter, error.Message, StringComparison.Ordinal);
        Assert.False((await ring.GetSnapshot()).Exists);
    }

    [Fact]
    public async Task A_bad_ring_name_is_an_ArgumentException()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Ring("bad ring").GetSnapshot());
        Assert.StartsWith("ring ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Total_weight_is_capped()
    {
        var ring = Ring(Unique("cap"));
        for (var i = 0; i < HashRingLayout.MaxTotalWeight / HashRingLayout.MaxWeight; i++)
        {
            await ring.AddOrUpdateNode($"n{i}", HashRingLayout.MaxWeight);
        }

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ring.AddOrUpdateNode("one-more", 1));
        Assert.Contains("total weight", error.Message, StringComparison.Ordinal);
    }

    private static int Count(List<HashRingSnapshot> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
