using Microsoft.Extensions.Logging.Abstractions;
using OrleansSync.Client.Hashing;
using OrleansSync.Hashing;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hashing;

/// <summary>The client's ring cache: local owners, its own changes at once, others' changes through the stream.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HashRingServiceTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private HashRingService NewService() => new(fixture.Client, NullLogger<HashRingService>.Instance);

    [Fact]
    public async Task Owners_are_the_ones_the_snapshot_layout_gives()
    {
        await using var service = NewService();
        var ring = Unique("owners");
        foreach (var node in new[] { "a", "b", "c", "d" })
        {
            await service.AddNodeAsync(ring, node, node == "d" ? 3 : 1);
        }

        var layout = HashRingLayout.Build(await fixture.Client.GetGrain<IHashRingGrain>(ring).GetSnapshot());
        for (var i = 0; i < 200; i++)
        {
            var key = $"key-{i}";
            Assert.Equal(layout.GetOwner(key), await service.GetOwnerAsync(ring, key));
            Assert.Equal(layout.GetPreferenceList(key, 3), await service.GetOwnersAsync(ring, key, 3));
        }
    }

    [Fact]
    public async Task An_empty_or_unknown_ring_has_no_owner()
    {
        await using var service = NewService();

        Assert.Null(await service.GetOwnerAsync(Unique("unknown"), "k"));
        Assert.Empty(await service.GetOwnersAsync(Unique("unknown"), "k", 2));
    }

    [Fact]
    public async Task The_clients_own_change_is_served_at_once()
    {
        await using var service = NewService();
        var ring = Unique("own");
        await service.AddNodeAsync(ring, "first");
        Assert.Equal("first", await service.GetOwnerAsync(ring, "k"));

        var removed = await service.RemoveNodeAsync(ring, "first");
        var added = await service.AddNodeAsync(ring, "second");

        Assert.Equal(3, added.Version);
        Assert.Equal(added, await service.GetRingAsync(ring));
        Assert.Equal("second", await service.GetOwnerAsync(ring, "k"));
        Assert.Equal(2, removed.Version);
    }

    [Fact]
    public async Task A_change_made_by_another_client_reaches_the_cache_through_the_stream()
    {
        await using var follower = NewService();
        await using var writer = NewService();
        var ring = Unique("follow");
        await writer.AddNodeAsync(ring, "old");
        Assert.Equal("old", await follower.GetOwnerAsync(ring, "k"));

        await writer.RemoveNodeAsync(ring, "old");
        var latest = await writer.AddNodeAsync(ring, "new", 2);

        await Eventually.UntilAsync(() => Task.FromResult(follower.CachedVersion(ring) == latest.Version), Deadline, "the follower's cache reaches the writer's version");
        Assert.Equal("new", await follower.GetOwnerAsync(ring, "k"));
        Assert.Equal(latest, await follower.GetRingAsync(ring));
    }

    [Fact]
    public async Task Bad_input_is_rejected_before_calling_the_cluster()
    {
        await using var service = NewService();

        Assert.Equal("ring", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.AddNodeAsync("bad ring", "n"))).ParamName);
        Assert.Equal("node", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RemoveNodeAsync("r", ""))).ParamName);
        Assert.Equal("weight", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.AddNodeAsync("r", "n", 1001))).ParamName);
        Assert.Equal("n", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.GetOwnersAsync("r", "k", 0))).ParamName);
        await Assert.ThrowsAsync<ArgumentNullException>(() => service.GetOwnerAsync("r", null!));
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
