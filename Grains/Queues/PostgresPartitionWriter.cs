using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Queues;

/// <summary>
/// The PostgreSQL profile's <see cref="IQueuePartitionWriter"/>. An append is one INSERT (one round trip, one
/// transaction) of one row per chunk of at most <see cref="MaxRowMessages"/> messages or <see cref="MaxRowBytes"/> of
/// bodies (one row for a publish of 100 × 1 KiB); the dedupe window is in memory (<see cref="QueueDedupeWindow"/>),
/// read back from the log when the partition is opened, so it writes no dedupe rows.
/// </summary>
/// <remarks>
/// Why the window in memory is exact: only this writer appends while its appends succeed. An append inserts only if
/// the partition's last row ends just before <see cref="End"/> (checked in the INSERT; a second writer racing on the same
/// offset fails on the primary key), so every append that succeeds follows the rows this writer read at open time or
/// appended itself, and their ids are all in its window. A writer that lost its place (a duplicate activation, or an
/// append whose outcome is unknown) fails every further append, and the grain reopens.
/// </remarks>
internal sealed class PostgresPartitionWriter : IQueuePartitionWriter
{
    /// <summary>Most messages in one log row (reading one message back reads its row).</summary>
    internal const int MaxRowMessages = 1000;

    /// <summary>Most body bytes in one log row (a single larger message gets a row of its own).</summary>
    internal const long MaxRowBytes = 512 * 1024;

    private const string AppendSql = """
        INSERT INTO orleanssync_queue_batches (queue, partition, first_offset, last_offset, published_at, message_ids, msg_keys, bodies, headers)
        SELECT @queue, @partition, c.first_offset, c.last_offset, @now,
               (@ids::text[])[c.lo:c.hi], (@keys::text[])[c.lo:c.hi], (@bodies::bytea[])[c.lo:c.hi], (@headers::text[])[c.lo:c.hi]
        FROM unnest(@firsts::bigint[], @lasts::bigint[], @los::integer[], @his::integer[]) AS c(first_offset, last_offset, lo, hi)
        WHERE COALESCE((
            SELECT b.last_offset FROM orleanssync_queue_batches b
            WHERE b.queue = @queue AND b.partition = @partition
            ORDER BY b.first_offset DESC
            LIMIT 1), -1) = @first - 1
        """;

    private const string RowIdsSql = """
        SELECT first_offset, message_ids FROM orleanssync_queue_batches
        WHERE queue = @queue AND partition = @partition AND first_offset = ANY(@firsts)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _queue;
    private readonly int _partition;
    private readonly QueueDedupeWindow _window;

    private PostgresPartitionWriter(NpgsqlDataSource dataSource, string queue, int partition, long end, QueueDedupeWindow window)
    {
        _dataSource = dataSource;
        _queue = queue;
        _partition = partition;
        End = end;
        _window = window;
    }

    public long End { get; private set; }

    /// <summary>
    /// Reads the partition's end and the ids of the rows published after <paramref name="now"/> − window, in one
    /// statement (one snapshot, so no append can fall between the two).
    /// </summary>
    public static async Task<PostgresPartitionWriter> OpenAsync(
        NpgsqlDataSource dataSource, string queue, int partition, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT e.end_offset, w.first_offset, w.published_at, w.message_ids
            FROM (SELECT COALESCE((
                    SELECT b.last_offset + 1 FROM orleanssync_queue_batches b
                    WHERE b.queue = @queue AND b.partition = @partition
                    ORDER BY b.first_offset DESC
                    LIMIT 1), 0) AS end_offset) e
            LEFT JOIN LATERAL (
                SELECT b.first_offset, b.published_at, b.message_ids FROM orleanssync_queue_batches b
                WHERE b.queue = @queue AND b.partition = @partition AND b.published_at > @since) w ON true
            ORDER BY w.first_offset
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("since", now - dedupeWindow);
        var window = new QueueDedupeWindow();
        long end = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                end = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    window.Add(reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<string[]>(3));
                }
            }
        }

        return new PostgresPartitionWriter(dataSource, queue, partition, end, window);
    }

    public async Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        _window.Expire(now - dedupeWindow);
        var fresh = await DropDuplicatesAsync(messages, cancellationToken).ConfigureAwait(false);
        if (fresh.Count == 0)
        {
            return [];
        }

        var first = End;
        var (firsts, lasts, los, his) = Chunk(fresh, first);
        await using (var command = _dataSource.CreateCommand(AppendSql))
        {
            command.Parameters.AddWithValue("queue", _queue);
            command.Parameters.AddWithValue("partition", _partition);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("first", first);
            command.Parameters.AddWithValue("ids", fresh.Select(m => m.Id!).ToArray());
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fresh.Select(m => m.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = fresh.Select(m => m.Body).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = fresh.Select(m => m.Headers is null || m.Headers.Count == 0 ? null : JsonSerializer.Serialize(m.Headers)).ToArray(),
            });
            command.Parameters.AddWithValue("firsts", firsts);
            command.Parameters.AddWithValue("lasts", lasts);
            command.Parameters.AddWithValue("los", los);
            command.Parameters.AddWithValue("his", his);
            var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (inserted != firsts.Length)
            {
                throw new InvalidOperationException(
                    $"Partition {_queue}/{_partition} does not end at {first}: another writer appended.");
            }
        }

        var appended = new List<StoredQueueMessage>(fresh.Count);
        for (var i = 0; i < fresh.Count; i++)
        {
            var message = fresh[i];
            appended.Add(new StoredQueueMessage(first + i, message.Id!, message.Key, message.Body, message.Headers ?? QueueHeaders.Empty, now));
        }

        for (var c = 0; c < firsts.Length; c++)
        {
            _window.Add(firsts[c], now, fresh.Skip(los[c] - 1).Take(his[c] - los[c] + 1).Select(m => m.Id!).ToList());
        }

        End = first + fresh.Count;
        return appended;
    }

    /// <summary>Splits the messages into rows: (first offset, last offset, 1-based first and last index) per row.</summary>
    private static (long[] Firsts, long[] Lasts, int[] Los, int[] His) Chunk(List<QueueMessage> messages, long first)
    {
        var firsts = new List<long>();
        var lasts = new List<long>();
        var los = new List<int>();
        var his = new List<int>();
        var start = 0;
        while (start < messages.Count)
        {
            var end = start;
            long bytes = messages[start].Body.Length;
            while (end + 1 < messages.Count && end + 1 - start < MaxRowMessages && bytes + messages[end + 1].Body.Length <= MaxRowBytes)
            {
                end++;
                bytes += messages[end].Body.Length;
            }

            firsts.Add(first + start);
            lasts.Add(first + end);
            los.Add(start + 1);
            his.Add(end + 1);
            start = end + 1;
        }

        return (firsts.ToArray(), lasts.ToArray(), los.ToArray(), his.ToArray());
    }

    /// <summary>
    /// The messages whose id is neither in the window nor earlier in the batch, in input order. Ids whose fingerprint
    /// matched are confirmed against the exact ids of their rows (one query, only when there is a match).
    /// </summary>
    private async Task<List<QueueMessage>> DropDuplicatesAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<(QueueMessage Message, long Row)>();
        var kept = new List<(QueueMessage Message, long? Row)>(messages.Count);
        foreach (var message in messages)
        {
            var id = message.Id ?? throw new ArgumentException("Messages reach the log with ids assigned.", nameof(messages));
            if (!seen.Add(id))
            {
                continue;
            }

            var (stored, row) = _window.Lookup(id);
            if (stored)
            {
                continue;
            }

            kept.Add((message, row));
            if (row is { } r)
            {
                candidates.Add((message, r));
            }
        }

        if (candidates.Count == 0)
        {
            return kept.Select(k => k.Message).ToList();
        }

        var storedIds = await ReadRowIdsAsync(candidates.Select(c => c.Row).Distinct().ToArray(), cancellationToken).ConfigureAwait(false);
        return kept
            .Where(k => k.Row is not { } row || !(storedIds.TryGetValue(row, out var ids) && ids.Contains(k.Message.Id!)))
            .Select(k => k.Message)
            .ToList();
    }

    private async Task<Dictionary<long, HashSet<string>>> ReadRowIdsAsync(long[] firsts, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(RowIdsSql);
        command.Parameters.AddWithValue("queue", _queue);
        command.Parameters.AddWithValue("partition", _partition);
        command.Parameters.AddWithValue("firsts", firsts);
        var rows = new Dictionary<long, HashSet<string>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows[reader.GetInt64(0)] = reader.GetFieldValue<string[]>(1).ToHashSet(StringComparer.Ordinal);
        }

        return rows;
    }
}
