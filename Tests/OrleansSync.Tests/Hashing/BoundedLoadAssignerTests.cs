using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class BoundedLoadAssignerTests
{
    [Theory]
    [InlineData(0.25, 1_000, 1_000_000)]
    [InlineData(0.10, 1_000, 1_000_000)]
    [InlineData(0.25, 160, 250_000)]
    [InlineData(0.10, 160, 250_000)]
    [InlineData(0.05, 160, 250_000)]
    public void No_node_ever_exceeds_ceil_of_one_plus_epsilon_times_the_mean(double epsilon, int virtualNodes, int keyCount)
    {
        var ring = new ConsistentHashRing<string>(virtualNodes).AddRange(RingTestData.NodeIds(10));
        var assigner = new BoundedLoadAssigner<string>(ring, epsilon);
        var keys = RingTestData.KeyHashes.AsSpan(0, keyCount);

        for (int i = 0; i < keys.Length; i++)
        {
            string node = assigner.Assign(keys[i]);

            // Only the chosen node's load grew and the cap only grows with k, so checking it checks every node.
            long cap = (long)Math.Ceiling((1 + epsilon) * (i + 1) / 10.0);
            long load = assigner.GetLoad(node);
            if (load > cap)
            {
                Assert.Fail($"after {i + 1} keys {node} holds {load} > cap {cap}");
            }
        }

        Assert.Equal(keys.Length, assigner.TotalAssigned);
        Assert.Equal(keys.Length, ring.Nodes.Sum(assigner.GetLoad));
    }

    [Fact]
    public void The_cap_binds_where_the_plain_ring_would_overload_a_node()
    {
        // At 160 vnodes this ring's busiest node holds about 1.10 × the mean; ε = 0.05 must pull it down.
        var ring = new ConsistentHashRing<string>(160).AddRange(RingTestData.NodeIds(10));
        var keys = RingTestData.KeyHashes;
        var assigner = new BoundedLoadAssigner<string>(ring, 0.05);
        foreach (ulong key in keys)
        {
            assigner.Assign(key);
        }

        long cap = (long)Math.Ceiling(1.05 * keys.Length / 10);
        long plainMax = RingTestData.Loads(RingTestData.Owners(ring, keys)).Values.Max();
        Assert.True(plainMax > cap, $"the plain ring's max {plainMax} is under the cap {cap}: the test no longer exercises the bound");
        Assert.True(ring.Nodes.Max(assigner.GetLoad) <= cap);
    }

    [Fact]
    public void With_spare_capacity_a_key_goes_to_its_ring_owner()
    {
        var ring = RingTestData.TenNodes;
        var assigner = new BoundedLoadAssigner<string>(ring, 0.25);

        // The first key: every node is at 0 and the cap is ceil(1.25 / 10) = 1, so the owner has room.
        Assert.Equal(ring.GetOwner("first"), assigner.Assign("first"));
    }

    [Fact]
    public void Caps_follow_the_weights()
    {
        var ring = new ConsistentHashRing<string>(160).AddRange(RingTestData.NodeIds(4)).Add("heavy", weight: 4);
        var assigner = new BoundedLoadAssigner<string>(ring, 0.1);
        var keys = RingTestData.KeyHashes.AsSpan(0, 200_000).ToArray();
        foreach (ulong key in keys)
        {
            assigner.Assign(key);
        }

        // Total weight 8: the heavy node's cap is ceil(1.1 · k · 4/8), a light node's ceil(1.1 · k · 1/8).
        Assert.True(assigner.GetLoad("heavy") <= Math.Ceiling(1.1 * keys.Length * 4 / 8));
        Assert.All(RingTestData.NodeIds(4), n => Assert.True(assigner.GetLoad(n) <= Math.Ceiling(1.1 * keys.Length / 8)));
        Assert.Equal(110_001, assigner.GetCapacity("heavy")); // ceil(1.1 · 200,001 · 4/8) for the next key
    }

    [Fact]
    public void Release_returns_one_assignment()
    {
        var assigner = new BoundedLoadAssigner<string>(RingTestData.TenNodes, 0.25);
        string node = assigner.Assign("k");

        assigner.Release(node);

        Assert.Equal(0, assigner.GetLoad(node));
        Assert.Equal(0, assigner.TotalAssigned);
        Assert.Throws<InvalidOperationException>(() => assigner.Release(node));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Epsilon_must_be_a_finite_positive_number(double epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedLoadAssigner<string>(RingTestData.TenNodes, epsilon));
        Assert.Equal("epsilon", error.ParamName);
    }

    [Fact]
    public void Bad_arguments_answer_the_documented_exceptions()
    {
        Assert.Throws<ArgumentNullException>(() => new BoundedLoadAssigner<string>(null!, 0.25));
        var empty = Assert.Throws<InvalidOperationException>(() => new BoundedLoadAssigner<string>(new ConsistentHashRing<string>(), 0.25));
        Assert.Contains("no nodes", empty.Message, StringComparison.Ordinal);

        var assigner = new BoundedLoadAssigner<string>(RingTestData.TenNodes, 0.25);
        Assert.Throws<ArgumentNullException>(() => assigner.Assign((string)null!));
        Assert.Throws<KeyNotFoundException>(() => assigner.GetLoad("stranger"));
        Assert.Throws<KeyNotFoundException>(() => assigner.Release("stranger"));
    }
}
