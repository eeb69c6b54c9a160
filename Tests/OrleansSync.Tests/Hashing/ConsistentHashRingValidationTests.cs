using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class ConsistentHashRingValidationTests
{
    private static readonly ConsistentHashRing<string> Ring = new ConsistentHashRing<string>(virtualNodesPerWeight: 10).AddRange(["a", "b", "c"]);

    [Fact]
    public void An_empty_ring_refuses_lookups_with_a_message()
    {
        var empty = new ConsistentHashRing<string>();

        var error = Assert.Throws<InvalidOperationException>(() => empty.GetOwner("k"));
        Assert.Contains("no nodes", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => empty.GetOwner(42UL));
        Assert.Throws<InvalidOperationException>(() => empty.GetPreferenceList("k", 1));
        Assert.Throws<InvalidOperationException>(() => empty.CopyPreferenceList(1UL, new string[1]));
        Assert.Throws<InvalidOperationException>(() => Ring.Remove("a").Remove("b").Remove("c").GetOwner("k"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_preference_list_needs_at_least_one_node(int n)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ring.GetPreferenceList("k", n));
        Assert.Equal("n", error.ParamName);
        Assert.Throws<ArgumentException>(() => Ring.CopyPreferenceList(1UL, Span<string>.Empty));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(104_858)] // × 10 vnodes > 1,048,576
    public void Weights_must_be_positive_and_bounded(int weight)
    {
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => Ring.Add("d", weight)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => Ring.AddRange(["d"], weight)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => Ring.WithWeight("a", weight)).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ConsistentHashRing<string>.MaxVirtualNodesPerNode + 1)]
    public void The_virtual_node_count_must_be_in_range(int virtualNodes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsistentHashRing<string>(virtualNodes));
    }

    [Fact]
    public void Nulls_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Ring.GetOwner((string)null!));
        Assert.Throws<ArgumentNullException>(() => Ring.GetPreferenceList((string)null!, 2));
        Assert.Throws<ArgumentNullException>(() => Ring.Add(null!));
        Assert.Throws<ArgumentNullException>(() => Ring.AddRange(null!));
        Assert.Throws<ArgumentNullException>(() => Ring.AddRange(["d", null!]));
        Assert.Throws<ArgumentNullException>(() => Ring.Remove(null!));
        Assert.Throws<ArgumentNullException>(() => Ring.GetWeight(null!));
        Assert.Throws<ArgumentNullException>(() => new ConsistentHashRing<CacheServer>(null!));
    }

    [Fact]
    public void Adding_a_node_twice_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Ring.Add("a"));
        Assert.Contains("already on the ring", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Ring.AddRange(["d", "d"]));
    }

    [Fact]
    public void Unknown_nodes_are_reported_or_ignored_as_documented()
    {
        Assert.Same(Ring, Ring.Remove("stranger"));
        Assert.Same(Ring, Ring.AddRange([]));
        Assert.Same(Ring, Ring.WithWeight("a", 1));
        Assert.False(Ring.Contains("stranger"));
        Assert.Throws<KeyNotFoundException>(() => Ring.GetWeight("stranger"));
        Assert.Throws<KeyNotFoundException>(() => Ring.GetShare("stranger"));
        Assert.Throws<KeyNotFoundException>(() => Ring.WithWeight("stranger", 2));
    }

    [Fact]
    public void A_non_string_node_type_needs_a_node_id_selector()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ConsistentHashRing<CacheServer>());
        Assert.Contains("needs a node id", error.Message, StringComparison.Ordinal);

        var blankIds = new ConsistentHashRing<CacheServer>(_ => "");
        Assert.Throws<ArgumentException>(() => blankIds.Add(new CacheServer("h", 1)));
    }

    [Fact]
    public void Nodes_are_hashed_by_their_id_so_a_typed_ring_agrees_with_a_string_ring_of_the_ids()
    {
        var servers = Enumerable.Range(0, 8).Select(i => new CacheServer($"10.0.0.{i}", 6379)).ToArray();
        var typed = new ConsistentHashRing<CacheServer>(s => s.Id, 50).AddRange(servers);
        var byId = new ConsistentHashRing<string>(50).AddRange(servers.Select(s => s.Id));

        for (int i = 0; i < 5_000; i++)
        {
            Assert.Equal(byId.GetOwner($"k{i}"), typed.GetOwner($"k{i}").Id);
        }

        Assert.True(typed.Contains(new CacheServer("10.0.0.3", 6379)));
        Assert.Throws<ArgumentException>(() => typed.Add(new CacheServer("10.0.0.3", 6379)));
        Assert.Equal(7, typed.Remove(new CacheServer("10.0.0.3", 6379)).Count);
    }
}
