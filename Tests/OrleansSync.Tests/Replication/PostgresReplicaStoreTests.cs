using Microsoft.Extensions.Logging.Abstractions;
using System.Text;
using Npgsql;
using OrleansSync.Replication;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// The PostgreSQL profile's primary-backup copy store against a real server. Rows are indexed by blocks of 65,536
/// versions (migration 0011), so these tests use versions on both sides of block boundaries. Batches are logged first
/// and folded into per-key rows later (migration 0012); stores built with <see cref="Timeout.InfiniteTimeSpan"/> never
/// fold in the background, so what a test reads is in the log until a reader or a load folds it.
/// </summary>
public sealed class PostgresReplicaStoreTests(MigratedPostgresDatabaseFixture database) : IClassFixture<MigratedPostgresDatabaseFixture>
{
    private const long Block = 1L << 16;

    [Fact]
    public async Task A_range_read_returns_the_latest_write_of_each_key_in_version_order_across_blocks()
    {
        var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance);
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
        var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance);
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
        var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance);
        var group = NewGroup();

        await store.ApplyAsync(group, 0, [Change("k", 5, "copy 0")], CancellationToken.None);
        await store.ApplyAsync(group, 2, [Change("k", Block + 5, "copy 2")], CancellationToken.None);

        var copy0 = await store.ReadRangeAsync(group, 0, 0, long.MaxValue, 10, CancellationToken.None);
        var copy2 = await store.ReadRangeAsync(group, 2, 0, long.MaxValue, 10, CancellationToken.None);

        Assert.Equal("copy 0", Encoding.UTF8.GetString(Assert.Single(copy0).Value!));
        Assert.Equal("copy 2", Encoding.UTF8.GetString(Assert.Single(copy2).Value!));
        Assert.Equal(Block + 5, (await store.LoadAsync(group, 2, CancellationToken.None)).High);
    }

    [Fact]
    public async Task A_key_read_finds_its_newest_write_while_it_is_still_in_the_log()
    {
        await using var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance, Timeout.InfiniteTimeSpan);
        var group = NewGroup();

        await store.ApplyAsync(group, 0, [Change("k", 5, "first"), Change("other", 6)], CancellationToken.None);
        await store.ApplyAsync(group, 0, [Change("k", Block + 9, "newest")], CancellationToken.None);
        await store.ApplyAsync(group, 0, [Change("k", 7, "replayed old write"), Change("twice", 12, "older"), Change("twice", 13, "newer")], CancellationToken.None);

        var unfolded = await store.ReadAsync(group, 0, "k", CancellationToken.None);
        var twice = await store.ReadAsync(group, 0, "twice", CancellationToken.None);
        var logRows = await LogRowsAsync(group);
        var range = await store.ReadRangeAsync(group, 0, 0, long.MaxValue, 10, CancellationToken.None);
        var folded = await store.ReadAsync(group, 0, "k", CancellationToken.None);

        Assert.Equal(3, logRows);
        Assert.Equal("newest", Encoding.UTF8.GetString(unfolded!.Value!));
        Assert.Equal("newer", Encoding.UTF8.GetString(twice!.Value!));
        Assert.Equal([6, 13, Block + 9], range.Select(c => c.Version));
        Assert.Equal(0, await LogRowsAsync(group));
        Assert.Equal(Block + 9, folded!.Version);
        Assert.Null(await store.ReadAsync(group, 0, "missing", CancellationToken.None));
    }

    [Fact]
    public async Task Logged_batches_are_folded_in_the_background()
    {
        await using var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance, TimeSpan.FromMilliseconds(20));
        var group = NewGroup();

        for (var i = 1; i <= 5; i++)
        {
            await store.ApplyAsync(group, 1, [Change($"key-{i % 3}", i), Change("deleted", i, deleted: i == 5)], CancellationToken.None);
        }

        await Eventually.UntilAsync(async () => await LogRowsAsync(group) == 0, TimeSpan.FromSeconds(10), "the log folded");
        var rows = await EntryRowsAsync(group, 1);

        Assert.Equal(["deleted@5 deleted", "key-0@3", "key-1@4", "key-2@5"], rows);
    }

    [Fact]
    public async Task A_load_folds_what_an_earlier_activation_left_in_the_log()
    {
        var group = NewGroup();
        await using (var earlier = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance, Timeout.InfiniteTimeSpan))
        {
            await earlier.ApplyAsync(group, 2, [Change("a", 4), Change("b", Block + 1)], CancellationToken.None);
        }

        await using var later = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance, Timeout.InfiniteTimeSpan);
        var load = await later.LoadAsync(group, 2, CancellationToken.None);

        Assert.Equal(Block + 1, load.High);
        Assert.Equal(0, await LogRowsAsync(group));
        Assert.Equal(["a@4", $"b@{Block + 1}"], await EntryRowsAsync(group, 2));
    }

    [Fact]
    public async Task A_reset_deletes_writes_still_in_the_log()
    {
        await using var store = new PostgresReplicaStore(database.ConnectionString, NullLogger.Instance, Timeout.InfiniteTimeSpan);
        var group = NewGroup();
        await store.ApplyAsync(group, 0, [Change("folded", 3)], CancellationToken.None);
        await store.ReadRangeAsync(group, 0, 0, long.MaxValue, 10, CancellationToken.None);
        await store.ApplyAsync(group, 0, [Change("logged", 8)], CancellationToken.None);

        await store.ResetAsync(group, 0, new ReplicaCopyMeta(4, 4, false), CancellationToken.None);

        Assert.Null(await store.ReadAsync(group, 0, "logged", CancellationToken.None));
        Assert.Empty(await store.ReadRangeAsync(group, 0, 0, long.MaxValue, 10, CancellationToken.None));
        var load = await store.LoadAsync(group, 0, CancellationToken.None);
        Assert.Equal(0, load.High);
        Assert.Equal(4, load.Meta.PromisedEpoch);
    }

    private async Task<long> LogRowsAsync(string group)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleanssync_replica_log WHERE replica_group = @group", connection);
        command.Parameters.AddWithValue("group", group);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> EntryRowsAsync(string group, int copy)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT entry_key, version, deleted FROM orleanssync_replica_entries WHERE replica_group = @group AND copy_index = @copy ORDER BY entry_key",
            connection);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)}@{reader.GetInt64(1)}{(reader.GetBoolean(2) ? " deleted" : string.Empty)}");
        }

        return rows;
    }

    private static string NewGroup() => $"store-test/{Guid.NewGuid():N}";

    private static ReplicaChange Change(string key, long version, string value = "v", bool deleted = false) =>
        new(key, deleted ? null : Encoding.UTF8.GetBytes(value), version, 1, deleted);
}
