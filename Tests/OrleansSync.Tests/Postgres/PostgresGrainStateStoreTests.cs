using System.Text;
using OrleansSync.Silo.Postgres.GrainState;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// The group-commit table of the PostgreSQL profile's grain storage against a real server: one statement carries many
/// grains' writes, and each row's version is checked on its own.
/// </summary>
public sealed class PostgresGrainStateStoreTests(MigratedPostgresDatabaseFixture database) : IClassFixture<MigratedPostgresDatabaseFixture>
{
    [Fact]
    public async Task A_stale_version_in_a_batch_fails_only_its_own_row_and_the_others_commit()
    {
        await using var store = NewStore();
        var keys = Enumerable.Range(0, 20).Select(i => Key($"grain-{i}")).ToArray();
        var created = keys.Select(k => new GrainStateWrite(k, Payload("v1"), null)).ToArray();
        await store.CommitAsync(created);
        foreach (var write in created)
        {
            Assert.Equal(1L, await write.Completion);
        }

        // Someone else moves row 7 to version 2; the batch below still expects version 1 for every row.
        Assert.Equal(2L, await store.WriteAsync(keys[7], Payload("other writer"), 1));
        var batch = keys.Select(k => new GrainStateWrite(k, Payload("v2"), 1)).ToArray();
        await store.CommitAsync(batch);

        for (var i = 0; i < keys.Length; i++)
        {
            var row = await store.ReadAsync(keys[i]);
            Assert.NotNull(row);
            Assert.Equal(2L, row.Version);
            if (i == 7)
            {
                Assert.Null(await batch[i].Completion);
                Assert.Equal("other writer", Text(row.Payload));
            }
            else
            {
                Assert.Equal(2L, await batch[i].Completion);
                Assert.Equal("v2", Text(row.Payload));
            }
        }
    }

    [Fact]
    public async Task A_first_write_over_an_existing_row_fails_only_itself()
    {
        await using var store = NewStore();
        var existing = Key("existing");
        Assert.Equal(1L, await store.WriteAsync(existing, Payload("first"), null));

        var batch = new[]
        {
            new GrainStateWrite(Key("new-a"), Payload("a"), null),
            new GrainStateWrite(existing, Payload("second activation"), null),
            new GrainStateWrite(Key("new-b"), Payload("b"), null),
        };
        await store.CommitAsync(batch);

        Assert.Equal(1L, await batch[0].Completion);
        Assert.Null(await batch[1].Completion);
        Assert.Equal(1L, await batch[2].Completion);
        Assert.Equal("first", Text((await store.ReadAsync(existing))!.Payload));
    }

    [Fact]
    public async Task Writes_of_one_row_queued_together_commit_one_after_the_other_in_order()
    {
        await using var store = NewStore();
        var key = Key("sequence");

        // Queued without waiting: each expects the version the previous one leaves, which only holds if they commit
        // in separate statements, in this order.
        var writes = Enumerable.Range(0, 10)
            .Select(i => store.WriteAsync(key, Payload($"v{i + 1}"), i == 0 ? null : i))
            .ToArray();
        var versions = await Task.WhenAll(writes);

        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long?)v), versions);
        Assert.Equal("v10", Text((await store.ReadAsync(key))!.Payload));
    }

    [Fact]
    public async Task Many_rows_written_concurrently_and_repeatedly_all_commit_with_consecutive_versions()
    {
        const int Rows = 50;
        const int WritesPerRow = 20;
        await using var store = NewStore();

        // Each row's writes are sequential (as a grain's are) while all rows write at once, so batches mix rows and
        // commits overlap: no write may be lost, fail or stall (the deadline only catches a stall).
        var rows = Enumerable.Range(0, Rows).Select(async r =>
        {
            var key = Key($"busy-{r}");
            long? version = null;
            for (var i = 0; i < WritesPerRow; i++)
            {
                var next = await store.WriteAsync(key, Payload($"{r}:{i}"), version);
                Assert.Equal((version ?? 0) + 1, next);
                version = next;
            }

            return key;
        });
        var keys = await Task.WhenAll(rows).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var key in keys)
        {
            var row = await store.ReadAsync(key);
            Assert.NotNull(row);
            Assert.Equal(WritesPerRow, row.Version);
            Assert.EndsWith($":{WritesPerRow - 1}", Text(row.Payload), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Two_first_writes_of_one_row_queued_together_let_exactly_one_win()
    {
        await using var store = NewStore();
        var key = Key("race");

        var results = await Task.WhenAll(store.WriteAsync(key, Payload("a"), null), store.WriteAsync(key, Payload("b"), null));

        Assert.Equal([1L, null], results);
        Assert.Equal("a", Text((await store.ReadAsync(key))!.Payload));
    }

    [Fact]
    public async Task A_clear_keeps_the_row_without_payload_and_moves_its_version_on()
    {
        await using var store = NewStore();
        var key = Key("cleared");
        Assert.Equal(1L, await store.WriteAsync(key, Payload("state"), null));

        Assert.Equal(2L, await store.WriteAsync(key, null, 1));
        var row = await store.ReadAsync(key);
        Assert.NotNull(row);
        Assert.Null(row.Payload);
        Assert.Equal(2L, row.Version);

        // Neither the version before the clear nor a first write can bring the state back.
        Assert.Null(await store.WriteAsync(key, Payload("resurrected"), 1));
        Assert.Null(await store.WriteAsync(key, Payload("resurrected"), null));
        Assert.Equal(3L, await store.WriteAsync(key, Payload("after clear"), 2));
    }

    [Fact]
    public async Task Rows_of_another_service_are_neither_read_nor_overwritten()
    {
        await using var mine = NewStore();
        await using var theirs = NewStore();
        var key = Key("shared-name");
        Assert.Equal(1L, await theirs.WriteAsync(key, Payload("theirs"), null));

        Assert.Null(await mine.ReadAsync(key));
        Assert.Equal(1L, await mine.WriteAsync(key, Payload("mine"), null));
        Assert.Equal("theirs", Text((await theirs.ReadAsync(key))!.Payload));
    }

    private static GrainStateKey Key(string grainKey) => new("test-grain", grainKey, "state");

    private static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? payload) => payload is null ? null : Encoding.UTF8.GetString(payload);

    private PostgresGrainStateStore NewStore() => new(database.ConnectionString, "service-" + Guid.NewGuid().ToString("N"));
}
