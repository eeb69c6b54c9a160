using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansSync.Queues;
using OrleansSync.Silo.Postgres;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// The PostgreSQL log's batch rows (migration 0009) against a real database: offsets name single messages inside rows,
/// the dedupe window survives reopening the partition, a stale writer cannot fork the log, and a log written in the
/// layout of migration 0005 is still read after the upgrade.
/// </summary>
public sealed class PostgresQueueLogTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Reads_from_any_offset_and_of_single_offsets_cross_rows_and_return_each_message_once_in_order()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var log = new PostgresQueueLog(database.ConnectionString);
        var writer = await log.OpenWriterAsync("q", 0, Now, Window, CancellationToken.None);

        // 2,500 small messages make three rows (at most 1,000 per row), then a publish of 3 makes a fourth.
        await writer.AppendAsync(Messages("a", 2500), Now, Window, CancellationToken.None);
        await writer.AppendAsync(Messages("b", 3, withHeaders: true), Now, Window, CancellationToken.None);

        Assert.Equal(2503, writer.End);
        Assert.Equal(4, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_batches WHERE queue = 'q'"));
        Assert.Equal(2503, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_messages WHERE queue = 'q'"));

        var read = await log.ReadAsync("q", 0, 995, 10, CancellationToken.None);
        Assert.Equal(Enumerable.Range(995, 10).Select(o => (long)o), read.Select(m => m.Offset));
        Assert.Equal(Enumerable.Range(995, 10).Select(i => $"a-{i}"), read.Select(m => m.Id));

        var tail = await log.ReadAsync("q", 0, 2499, 1000, CancellationToken.None);
        Assert.Equal(["a-2499", "b-0", "b-1", "b-2"], tail.Select(m => m.Id));
        Assert.Equal("v-1", tail[2].Headers["h"]);
        Assert.Equal("k-1", tail[2].Key);
        Assert.Null(tail[0].Key);
        Assert.Equal([1, 2], tail[2].Body);

        var picked = await log.ReadOffsetsAsync("q", 0, [2502, 0, 1000, 999, 9999], CancellationToken.None);
        Assert.Equal([0L, 999, 1000, 2502], picked.Select(m => m.Offset));
        Assert.Equal(["a-0", "a-999", "a-1000", "b-2"], picked.Select(m => m.Id));
    }

    [Fact]
    public async Task An_id_stored_within_the_window_is_dropped_after_reopening_the_partition_and_stored_again_after_the_window()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var log = new PostgresQueueLog(database.ConnectionString);
        var first = await log.OpenWriterAsync("q", 1, Now, Window, CancellationToken.None);
        var stored = await first.AppendAsync([Message("x"), Message("y"), Message("x")], Now, Window, CancellationToken.None);
        Assert.Equal(["x", "y"], stored.Select(m => m.Id));

        // Same writer, and a new one (another activation, as after a silo crash), both drop the ids of the window.
        Assert.Empty(await first.AppendAsync([Message("y")], Now.AddSeconds(1), Window, CancellationToken.None));
        var reopened = await log.OpenWriterAsync("q", 1, Now.AddSeconds(2), Window, CancellationToken.None);
        Assert.Equal(2, reopened.End);
        var again = await reopened.AppendAsync([Message("x"), Message("z")], Now.AddSeconds(2), Window, CancellationToken.None);
        Assert.Equal(["z"], again.Select(m => m.Id));
        Assert.Equal(2, again[0].Offset);

        // Once the window has passed since x was stored, x is a new message.
        var later = Now + Window + TimeSpan.FromSeconds(1);
        var afterWindow = await log.OpenWriterAsync("q", 1, later, Window, CancellationToken.None);
        Assert.Equal(["x"], (await afterWindow.AppendAsync([Message("x")], later, Window, CancellationToken.None)).Select(m => m.Id));
        Assert.Equal(3, await database.CountAsync("SELECT count(*) FROM orleanssync_queue_messages WHERE queue = 'q' AND message_id IN ('x', 'z')"));
    }

    [Fact]
    public async Task A_writer_whose_partition_was_appended_by_another_fails_and_the_log_keeps_one_history()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var log = new PostgresQueueLog(database.ConnectionString);
        var stale = await log.OpenWriterAsync("q", 0, Now, Window, CancellationToken.None);
        var current = await log.OpenWriterAsync("q", 0, Now, Window, CancellationToken.None);
        await current.AppendAsync([Message("a"), Message("b")], Now, Window, CancellationToken.None);

        // Same first offset (primary key) and, after more appends, an offset behind the end (the INSERT's check).
        await Assert.ThrowsAnyAsync<Exception>(() => stale.AppendAsync([Message("c")], Now, Window, CancellationToken.None));
        await current.AppendAsync([Message("d")], Now, Window, CancellationToken.None);
        var behind = await log.OpenWriterAsync("q", 0, Now, Window, CancellationToken.None);
        await current.AppendAsync([Message("e")], Now, Window, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => behind.AppendAsync([Message("f")], Now, Window, CancellationToken.None));

        var all = await log.ReadAsync("q", 0, 0, 100, CancellationToken.None);
        Assert.Equal(["a", "b", "d", "e"], all.Select(m => m.Id));
        Assert.Equal([0L, 1, 2, 3], all.Select(m => m.Offset));
    }

    [Fact]
    public async Task A_log_written_in_the_layout_of_migration_0005_is_read_and_deduplicated_after_migration_0009()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        await ApplyMigrationsUpToAsync(database, 8);
        await using (var connection = await database.OpenConnectionAsync())
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO orleanssync_queue_messages (queue, partition, msg_offset, message_id, msg_key, body, headers, published_at)
                SELECT 'old', 0, o, 'old-' || o, CASE WHEN o = 1 THEN 'key' END, decode(lpad(to_hex(o), 2, '0'), 'hex'),
                       CASE WHEN o = 2 THEN '{"h":"v"}'::jsonb END, @now
                FROM generate_series(0, 2) AS o;
                INSERT INTO orleanssync_queue_dedupe (queue, partition, message_id, msg_offset, expires_at)
                SELECT 'old', 0, 'old-' || o, o, @expires FROM generate_series(0, 2) AS o;
                """, connection);
            insert.Parameters.AddWithValue("now", Now);
            insert.Parameters.AddWithValue("expires", Now + Window);
            await insert.ExecuteNonQueryAsync();
        }

        // 0009 converts the old layout; later migrations (0010 on) are applied after it and do not touch the queue log.
        var applied = await new PostgresSchemaMigrator(database.ConnectionString, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync();
        Assert.Equal("0009_queue_batches", applied[0]);

        var log = new PostgresQueueLog(database.ConnectionString);
        var read = await log.ReadAsync("old", 0, 0, 10, CancellationToken.None);
        Assert.Equal(["old-0", "old-1", "old-2"], read.Select(m => m.Id));
        Assert.Equal("key", read[1].Key);
        Assert.Equal("v", read[2].Headers["h"]);
        Assert.Equal([2], read[2].Body);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), read[0].PublishedAt.ToUnixTimeMilliseconds());

        var writer = await log.OpenWriterAsync("old", 0, Now.AddSeconds(1), Window, CancellationToken.None);
        Assert.Equal(3, writer.End);
        var appended = await writer.AppendAsync([Message("old-1"), Message("new")], Now.AddSeconds(1), Window, CancellationToken.None);
        Assert.Equal([(3L, "new")], appended.Select(m => (m.Offset, m.Id)));
    }

    private static async Task ApplyMigrationsUpToAsync(PostgresTestDatabase database, int version)
    {
        // The migrator's own history table and rows, so that MigrateAsync afterwards applies only the newer ones.
        await using var connection = await database.OpenConnectionAsync();
        await using (var history = new NpgsqlCommand($"""
            CREATE TABLE {PostgresSchemaMigrator.HistoryTable}
            (id integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, connection))
        {
            await history.ExecuteNonQueryAsync();
        }

        foreach (var migration in PostgresSchemaMigrator.Migrations.Where(m => m.Version <= version))
        {
            await using var apply = new NpgsqlCommand(migration.Sql, connection);
            await apply.ExecuteNonQueryAsync();
            await using var record = new NpgsqlCommand($"INSERT INTO {PostgresSchemaMigrator.HistoryTable} (id, name, checksum) VALUES (@id, @name, @checksum)", connection);
            record.Parameters.AddWithValue("id", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync();
        }
    }

    private static QueueMessage Message(string id) => new(id, null, [7]);

    private static List<QueueMessage> Messages(string prefix, int count, bool withHeaders = false) =>
        Enumerable.Range(0, count)
            .Select(i => new QueueMessage(
                $"{prefix}-{i}",
                withHeaders ? $"k-{i}" : null,
                [(byte)i, (byte)(i + 1)],
                withHeaders ? new Dictionary<string, string> { ["h"] = $"v-{i}" } : null))
            .ToList();
}
