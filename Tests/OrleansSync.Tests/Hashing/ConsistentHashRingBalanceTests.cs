using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class ConsistentHashRingBalanceTests
{
    [Fact]
    public void Ten_nodes_at_the_default_virtual_node_count_keep_max_over_mean_at_or_under_1_10()
    {
        var ring = RingTestData.TenNodes;
        Assert.Equal(ConsistentHashRing<string>.DefaultVirtualNodesPerWeight, ring.VirtualNodesPerWeight);

        var loads = RingTestData.Loads(RingTestData.Owners(ring, RingTestData.KeyHashes));

        double mean = RingTestData.KeyCount / 10.0;
        Assert.Equal(10, loads.Count);
        double maxOverMean = loads.Values.Max() / mean;
        Assert.True(maxOverMean <= 1.10, $"max/mean = {maxOverMean:F3}");
    }

    [Fact]
    public void A_lone_node_owns_exactly_the_whole_ring()
    {
        var ring = new ConsistentHashRing<string>().Add("only");

        Assert.Equal(1.0, ring.GetShare("only"));
    }

    [Fact]
    public void Shares_add_up_to_one_and_predict_the_key_counts()
    {
        var ring = RingTestData.TenNodes;
        var loads = RingTestData.Loads(RingTestData.Owners(ring, RingTestData.KeyHashes));

        Assert.Equal(1.0, ring.Nodes.Sum(ring.GetShare), precision: 9);
        foreach (string node in ring.Nodes)
        {
            // 1,000,000 keys: a share's key count has a standard deviation of about 0.3 %; allow 2 %.
            double observed = loads[node] / (double)RingTestData.KeyCount;
            Assert.InRange(observed / ring.GetShare(node), 0.98, 1.02);
        }
    }

    [Fact]
    public void A_weight_two_node_gets_about_twice_the_keys_of_a_weight_one_node()
    {
        // Tolerance ±10 %: at 1,000 vnodes per unit a node's share has a relative standard deviation of about
        // 1/√1000 ≈ 3 % (2.2 % for the weight-2 node), and we compare with the mean of ten light nodes, so the
        // ratio's standard deviation is about 2.5 % and ±10 % is four of them.
        var ring = RingTestData.TenNodes.Add("heavy", weight: 2);
        var loads = RingTestData.Loads(RingTestData.Owners(ring, RingTestData.KeyHashes));

        double lightMean = loads.Where(l => l.Key != "heavy").Average(l => l.Value);
        double ratio = loads["heavy"] / lightMean;
        Assert.InRange(ratio, 1.8, 2.2);
        Assert.Equal(2, ring.GetWeight("heavy"));
        Assert.Equal(12, ring.TotalWeight);
        Assert.Equal(12 * ring.VirtualNodesPerWeight, ring.VirtualNodeCount);
    }
}
