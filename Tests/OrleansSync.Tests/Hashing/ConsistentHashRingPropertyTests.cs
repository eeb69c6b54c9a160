using System.IO.Hashing;
using System.Text;
using CsCheck;
using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

/// <summary>Movement properties for random node sets: consistent hashing moves keys only to or from the changed node.</summary>
public class ConsistentHashRingPropertyTests
{
    private static readonly ulong[] Keys = RingTestData.KeyHashes.AsSpan(0, 2_000).ToArray();

    private static readonly Gen<(HashSet<int> Nodes, int Joining, int VirtualNodes)> RandomRings =
        Gen.Select(Gen.Int[0, 10_000].HashSet[1, 30], Gen.Int[10_001, 20_000], Gen.Int[1, 64]);

    [Fact]
    public void Adding_a_node_moves_keys_only_to_that_node()
    {
        RandomRings.Sample(sample =>
        {
            var ring = new ConsistentHashRing<string>(sample.VirtualNodes).AddRange(sample.Nodes.Select(n => $"n{n}"));
            string joining = $"n{sample.Joining}";
            var grown = ring.Add(joining);

            foreach (ulong key in Keys)
            {
                string after = grown.GetOwner(key);
                Assert.True(after == ring.GetOwner(key) || after == joining);
            }
        }, iter: 200);
    }

    [Fact]
    public void Removing_a_node_moves_only_its_keys_and_the_add_order_never_matters()
    {
        RandomRings.Sample(sample =>
        {
            string[] ids = sample.Nodes.Select(n => $"n{n}").ToArray();
            var ring = new ConsistentHashRing<string>(sample.VirtualNodes).AddRange(ids);
            var reversed = ids.Reverse().Aggregate(new ConsistentHashRing<string>(sample.VirtualNodes), (r, id) => r.Add(id));
            string leaving = ids[sample.Joining % ids.Length];
            var shrunk = ring.Remove(leaving);

            foreach (ulong key in Keys)
            {
                string before = ring.GetOwner(key);
                Assert.Equal(before, reversed.GetOwner(key));
                if (shrunk.Count > 0)
                {
                    Assert.True(shrunk.GetOwner(key) == before || before == leaving);
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void Owners_match_a_brute_force_search_for_the_first_point_at_or_after_the_key()
    {
        // The reference model spells out the ring's definition: virtual node v of node id is at XXH3(utf8(id), seed v);
        // a key belongs to the first point at or after its hash (ties: lower id, then lower v), wrapping past the top.
        var samples = Gen.Select(Gen.Int[0, 10_000].HashSet[1, 20], Gen.Int[1, 40], Gen.ULong.Array[50]);
        samples.Sample((nodes, virtualNodes, hashes) =>
        {
            string[] ids = nodes.Select(n => $"n{n}").ToArray();
            var ring = new ConsistentHashRing<string>(virtualNodes).AddRange(ids);
            var points = ids
                .SelectMany(id => Enumerable.Range(0, virtualNodes).Select(v => (Hash: XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(id), v), Id: id, V: v)))
                .OrderBy(p => p.Hash).ThenBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.V)
                .ToArray();

            foreach (ulong hash in hashes.Append(0UL).Append(ulong.MaxValue).Concat(points.Select(p => p.Hash)))
            {
                var first = points.FirstOrDefault(p => p.Hash >= hash, points[0]);
                Assert.Equal(first.Id, ring.GetOwner(hash));
                Assert.Equal(first.Id, ring.GetPreferenceList(hash, 1)[0]);
            }
        }, iter: 100);
    }
}
