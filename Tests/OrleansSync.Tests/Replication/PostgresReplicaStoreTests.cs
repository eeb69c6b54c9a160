using System.Text;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// The PostgreSQL profile's primary-backup copy store against a real server. Rows are indexed by blocks of 65,536
/// versions (migration 0011), so these tests use versions on both sides of block boundaries.
/// </summary>
public sealed class PostgresReplicaStoreTests(MigratedPostgresDatabaseFixture database) : IClassFixture<MigratedPostgresDatabaseFixture>
{
    private const long Block = 1L << 16;

    [Fact]
    public async Task A_range_read_returns_the_latest_write_of_each_key_in_version_order_across_blocks()
    {
        var store = new PostgresReplicaStore(database.ConnectionString);
        var group = NewGroup();

        // Versions spread over four blocks, written out of order; key-3 is rewritten into a later block.
        long[] versions = [3 * Block + 5, 7, Block - 1, Block, 2 * Block + 1, 3 * Block];
        await store.ApplyAsync(group, 1, versions.Select((v, i) => Change($"key-{i}", v)).ToList(), CancellationToken.None);
        await store.ApplyAsync(group, 1, [Change("key-3", (4 * Block) + 2)], CancellationToken.None);

        var all = await store.ReadRangeAsync(group, 1, 0, long.MaxValue, 100, CancellationToken.None);
        var page = await store.ReadRangeAsync(group, 1, 7, 3 * Block, 2, CancellationToken.None);
        var tail = await store.ReadRangeAsync(group, 1, 3 * Block, 4 * Block + 2, 100, CancellationToken.None);

        Assert.Equal([7, Block - 1, 2 * Block + 1, 3 * Block, 3 * Block + 5, 4 * Block + 2], all.Select(c => c.Version));
        Assert.Equal("key-3", all[^1].Key);
        Assert.Equal([Block - 1, 2 * Block + 1], page.Select(c => c.Version));
        Assert.Equal([3 * Block + 5, 4 * Block + 2], tail.Select(c => c.Version));
    }

    [Fact]
    public async Task A_write_never_moves_a_key_back_and_the_load_finds_the_highest_version()
    {
        var store = new PostgresReplicaStore(database.ConnectionString);
        var group = NewGroup();

        await store.ApplyAsync(group, 0, [Change("a", (2 * Block) + 9, "new"), Change("b", Block + 3)], CancellationToken.None);
        await store.ApplyAsync(group, 0, [Change("a", 11, "replayed old write")], CancellationToken.None);

        var a = await store.ReadAsync(group, 0, "a", CancellationToken.None);
        var load = await store.LoadAsync(group, 0, CancellationToken.None);

        Assert.NotNull(a);
        Assert.Equal((2 * Block) + 9, a.Version);
        Assert.Equal("new", Encoding.UTF8.GetString(a.Value!));
        Assert.Equal((2 * Block) + 9, load.High);
    }

    [Fact]
    public async Task Copies_of_one_group_keep_their_own_rows()
    {
        var store = new PostgresReplicaStore(database.ConnectionString);
        var group = NewGroup();

        await store.ApplyAsync(group, 0, [Change("k", 5, "copy 0")], CancellationToken.None);
        await store.ApplyAsync(group, 2, [Change("k", Block + 5, "copy 2")], CancellationToken.None);

        var copy0 = await store.ReadRangeAsync(group, 0, 0, long.MaxValue, 10, CancellationToken.None);
        var copy2 = await store.ReadRangeAsync(group, 2, 0, long.MaxValue, 10, CancellationToken.None);

        Assert.Equal("copy 0", Encoding.UTF8.GetString(Assert.Single(copy0).Value!));
        Assert.Equal("copy 2", Encoding.UTF8.GetString(Assert.Single(copy2).Value!));
        Assert.Equal(Block + 5, (await store.LoadAsync(group, 2, CancellationToken.None)).High);
    }

    private static string NewGroup() => $"store-test/{Guid.NewGuid():N}";

    private static ReplicaChange Change(string key, long version, string value = "v") =>
        new(key, Encoding.UTF8.GetBytes(value), version, 1, false);
}
