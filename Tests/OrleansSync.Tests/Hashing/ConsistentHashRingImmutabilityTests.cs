using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

public class ConsistentHashRingImmutabilityTests
{
    [Fact]
    public void Add_Remove_and_WithWeight_leave_the_original_ring_unchanged()
    {
        var ring = new ConsistentHashRing<string>(100).AddRange(RingTestData.NodeIds(5));
        var keys = RingTestData.KeyHashes.AsSpan(0, 20_000).ToArray();
        string[] ownersBefore = RingTestData.Owners(ring, keys);
        string[] nodesBefore = ring.Nodes.ToArray();

        var added = ring.Add("node-new", weight: 3);
        var removed = ring.Remove("node-2");
        var reweighted = ring.WithWeight("node-4", 5);

        Assert.Equal(5, ring.Count);
        Assert.Equal(nodesBefore, ring.Nodes.ToArray());
        Assert.Equal(ownersBefore, RingTestData.Owners(ring, keys));
        Assert.Equal(1, ring.GetWeight("node-4"));
        Assert.False(ring.Contains("node-new"));
        Assert.Equal(6, added.Count);
        Assert.Equal(4, removed.Count);
        Assert.Equal(5, reweighted.GetWeight("node-4"));
    }

    [Fact]
    public void Nodes_are_listed_in_id_order_whatever_the_insertion_order()
    {
        var ring = new ConsistentHashRing<string>(10).Add("c").Add("a").Add("b");

        Assert.Equal(["a", "b", "c"], ring.Nodes.ToArray());
    }

    [Fact]
    public async Task Lookups_run_in_parallel_while_other_threads_build_new_rings()
    {
        var shared = new ConsistentHashRing<string>(100).AddRange(RingTestData.NodeIds(20));
        var keys = RingTestData.KeyHashes.AsSpan(0, 10_000).ToArray();
        string[] expected = RingTestData.Owners(shared, keys);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        // A writer publishes new rings built from the shared one; readers look up on the shared ring (which must not
        // change) and on whatever ring was published last (whose answer must be one of its nodes).
        ConsistentHashRing<string> latest = shared;
        var writer = Task.Run(() =>
        {
            int round = 0;
            do
            {
                var next = shared.Add($"extra-{round % 7}").Remove($"node-{round % 20}");
                Volatile.Write(ref latest, next);
                round++;
            }
            while (!stop.IsCancellationRequested);

            return round;
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            // do-while: on a busy two-core machine a reader may only start after the deadline; it still checks once.
            long lookups = 0;
            do
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    Assert.Equal(expected[i], shared.GetOwner(keys[i]));
                    var current = Volatile.Read(ref latest);
                    Assert.True(current.Contains(current.GetOwner(keys[i])));
                }

                lookups += keys.Length;
            }
            while (!stop.IsCancellationRequested);

            return lookups;
        })).ToArray();

        int rounds = await writer;
        long[] lookups = await Task.WhenAll(readers);
        Assert.True(rounds > 0);
        Assert.All(lookups, count => Assert.True(count > 0));
    }
}
