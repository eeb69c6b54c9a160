using System.Text;
using OrleansSync.Hashing;

namespace OrleansSync.Tests.Hashing;

/// <summary>
/// Every process must put a key on the same node, today and after an upgrade. These literals were computed once;
/// if one fails, the hash or the ring layout changed and every deployed ring would move almost every key.
/// </summary>
public class StableKeyHashTests
{
    [Fact]
    public void Is_xxh3_64_of_the_utf8_bytes()
    {
        // XXH3_64bits("") with seed 0, from the xxHash reference implementation.
        Assert.Equal(0x2D06800538D394C2UL, StableKeyHash.Hash64(string.Empty));
        Assert.Equal(PinnedUserKeyHash, StableKeyHash.Hash64("user:42"));
    }

    [Theory]
    [InlineData("user:42")]
    [InlineData("grüße/東京/🙂")]
    [InlineData("")]
    public void String_char_span_and_utf8_byte_overloads_agree(string key)
    {
        ulong expected = StableKeyHash.Hash64(Encoding.UTF8.GetBytes(key));

        Assert.Equal(expected, StableKeyHash.Hash64(key));
        Assert.Equal(expected, StableKeyHash.Hash64(key.AsSpan()));
    }

    [Fact]
    public void Unpaired_surrogates_hash_like_encoding_utf8_replaces_them()
    {
        string key = "before\uD800after";

        Assert.Equal(StableKeyHash.Hash64(Encoding.UTF8.GetBytes(key)), StableKeyHash.Hash64(key));
        Assert.Equal(StableKeyHash.Hash64("before\uFFFDafter"), StableKeyHash.Hash64(key));
    }

    [Fact]
    public void Long_keys_hash_the_same_through_the_pooled_buffer()
    {
        string key = string.Concat(Enumerable.Repeat("ü-long-key-", 100));

        Assert.Equal(StableKeyHash.Hash64(Encoding.UTF8.GetBytes(key)), StableKeyHash.Hash64(key));
    }

    [Theory]
    [InlineData("user:1", "node-7")]
    [InlineData("user:2", "node-2")]
    [InlineData("user:3", "node-7")]
    [InlineData("orders/42", "node-7")]
    [InlineData("cache:session:9f1c", "node-5")]
    [InlineData("東京", "node-6")]
    public void Pinned_keys_keep_their_owners_on_the_default_ring(string key, string owner)
    {
        Assert.Equal(owner, RingTestData.TenNodes.GetOwner(key));
        Assert.Equal(owner, RingTestData.TenNodes.GetOwner(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Pinned_preference_list_keeps_its_order()
    {
        Assert.Equal(["node-7", "node-4", "node-0"], RingTestData.TenNodes.GetPreferenceList("orders/42", 3));
    }

    [Fact]
    public void The_owner_does_not_depend_on_the_order_nodes_were_added()
    {
        var shuffled = new ConsistentHashRing<string>();
        foreach (string node in RingTestData.NodeIds(10).OrderBy(n => StableKeyHash.Hash64(n)))
        {
            shuffled = shuffled.Add(node);
        }

        var keys = RingTestData.KeyHashes.AsSpan(0, 50_000).ToArray();
        Assert.Equal(RingTestData.Owners(RingTestData.TenNodes, keys), RingTestData.Owners(shuffled, keys));
    }

    private const ulong PinnedUserKeyHash = 0x9FC1E605FA7174AAUL;
}
