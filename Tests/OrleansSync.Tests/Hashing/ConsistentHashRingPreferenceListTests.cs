using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class ConsistentHashRingPreferenceListTests
{
    private static readonly ConsistentHashRing<string> Ring = new ConsistentHashRing<string>(virtualNodesPerWeight: 100).AddRange(RingTestData.NodeIds(10));

    [Fact]
    public void Returns_n_distinct_nodes_with_the_owner_first()
    {
        for (int i = 0; i < 2_000; i++)
        {
            string key = $"key-{i}";
            var list = Ring.GetPreferenceList(key, 3);

            Assert.Equal(3, list.Count);
            Assert.Equal(3, list.Distinct().Count());
            Assert.Equal(Ring.GetOwner(key), list[0]);
        }
    }

    [Fact]
    public void Is_the_same_for_the_same_key_however_the_ring_was_built()
    {
        var reversed = new ConsistentHashRing<string>(virtualNodesPerWeight: 100);
        foreach (string node in RingTestData.NodeIds(10).Reverse())
        {
            reversed = reversed.Add(node);
        }

        for (int i = 0; i < 2_000; i++)
        {
            string key = $"key-{i}";
            Assert.Equal(Ring.GetPreferenceList(key, 4), Ring.GetPreferenceList(key, 4));
            Assert.Equal(Ring.GetPreferenceList(key, 4), reversed.GetPreferenceList(key, 4));
        }
    }

    [Fact]
    public void N_larger_than_the_node_count_returns_every_node_once()
    {
        var list = Ring.GetPreferenceList("any-key", 25);

        Assert.Equal(10, list.Count);
        Assert.Equal(Ring.Nodes.Order(StringComparer.Ordinal), list.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_shorter_list_is_a_prefix_of_a_longer_one()
    {
        for (int i = 0; i < 500; i++)
        {
            string key = $"key-{i}";
            Assert.Equal(Ring.GetPreferenceList(key, 2), Ring.GetPreferenceList(key, 5).Take(2));
        }
    }

    [Fact]
    public void When_the_owner_leaves_the_second_node_becomes_the_owner()
    {
        // The defining property of a replica list on a ring: the next replica is who takes over.
        for (int i = 0; i < 500; i++)
        {
            string key = $"key-{i}";
            var list = Ring.GetPreferenceList(key, 3);
            var without = Ring.Remove(list[0]);

            Assert.Equal(list[1], without.GetOwner(key));
            Assert.Equal(list.Skip(1), without.GetPreferenceList(key, 2));
        }
    }

    [Fact]
    public void CopyPreferenceList_writes_the_same_nodes_without_a_new_array()
    {
        var destination = new string[4];
        for (int i = 0; i < 500; i++)
        {
            ulong hash = StableKeyHash.Hash64($"key-{i}");
            int written = Ring.CopyPreferenceList(hash, destination);

            Assert.Equal(4, written);
            Assert.Equal(Ring.GetPreferenceList(hash, 4), destination);
        }

        var wide = new string[12];
        Assert.Equal(10, Ring.CopyPreferenceList(1UL, wide));
        Assert.Null(wide[10]);
    }
}
