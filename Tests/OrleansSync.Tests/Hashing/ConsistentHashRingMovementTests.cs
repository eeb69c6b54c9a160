using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class ConsistentHashRingMovementTests
{
    [Fact]
    public void Adding_an_eleventh_node_moves_at_most_1_15x_the_ideal_share_and_only_to_the_new_node()
    {
        var before = RingTestData.TenNodes;
        var after = before.Add("node-10");
        var keys = RingTestData.KeyHashes;

        long moved = 0, movedElsewhere = 0;
        foreach (ulong key in keys)
        {
            string owner = after.GetOwner(key);
            if (owner != before.GetOwner(key))
            {
                moved++;
                movedElsewhere += owner == "node-10" ? 0 : 1;
            }
        }

        double ideal = keys.Length / 11.0;
        Assert.True(moved > 0.5 * ideal, $"only {moved} keys moved; the new node should take about {ideal:F0}");
        Assert.True(moved <= 1.15 * ideal, $"{moved} keys moved, {moved / ideal:F3} × the ideal {ideal:F0}");
        Assert.Equal(0, movedElsewhere);
    }

    [Fact]
    public void Removing_a_node_moves_exactly_the_keys_it_owned()
    {
        var before = RingTestData.TenNodes;
        var after = before.Remove("node-3");
        var keys = RingTestData.KeyHashes;

        long moved = 0, movedFromOthers = 0, ownedByRemoved = 0;
        foreach (ulong key in keys)
        {
            string was = before.GetOwner(key);
            ownedByRemoved += was == "node-3" ? 1 : 0;
            if (after.GetOwner(key) != was)
            {
                moved++;
                movedFromOthers += was == "node-3" ? 0 : 1;
            }
        }

        Assert.Equal(0, movedFromOthers);
        Assert.Equal(ownedByRemoved, moved);
        Assert.True(moved <= 1.15 * keys.Length / 10.0, $"the removed node owned {moved} keys");
    }

    [Fact]
    public void Raising_a_weight_moves_keys_only_to_that_node_and_lowering_it_only_away()
    {
        var keys = RingTestData.KeyHashes.AsSpan(0, 100_000).ToArray();
        var baseRing = RingTestData.TenNodes;
        var heavier = baseRing.WithWeight("node-5", 3);
        var lighterAgain = heavier.WithWeight("node-5", 2);

        string[] before = RingTestData.Owners(baseRing, keys);
        string[] afterRaise = RingTestData.Owners(heavier, keys);
        string[] afterLower = RingTestData.Owners(lighterAgain, keys);

        for (int i = 0; i < keys.Length; i++)
        {
            if (afterRaise[i] != before[i])
            {
                Assert.Equal("node-5", afterRaise[i]);
            }

            if (afterLower[i] != afterRaise[i])
            {
                Assert.Equal("node-5", afterRaise[i]);
            }
        }

        Assert.True(Enumerable.Range(0, keys.Length).Any(i => afterRaise[i] != before[i]), "raising the weight moved no key");
    }

    [Fact]
    public void Adding_then_removing_a_node_restores_every_owner()
    {
        var keys = RingTestData.KeyHashes.AsSpan(0, 100_000).ToArray();
        var ring = RingTestData.TenNodes;
        var roundTrip = ring.Add("node-10").Remove("node-10");

        Assert.Equal(RingTestData.Owners(ring, keys), RingTestData.Owners(roundTrip, keys));
    }
}
