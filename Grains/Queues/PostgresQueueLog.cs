using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Queues;

/// <summary>
/// The PostgreSQL profile's queue log (tables of migration <c>0005_queues.sql</c>). An append is one statement (one
/// round trip, one transaction): dedupe lookup, message rows and dedupe rows commit together before the publisher hears back. The primary key
/// (queue, partition, offset) turns a second writer (a duplicate activation) into a failed transaction, never a fork.
/// </summary>
internal sealed class PostgresQueueLog(string connectionString) : IQueueLog
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);
    private readonly ConcurrentDictionary<(string Queue, int Partition), DateTimeOffset> _lastPurge = new();

    /// <summary>
    /// Ids already stored inside the window are dropped, then the first occurrence of each remaining id gets the next
    /// offset in input order. An expired dedupe row of the same id is taken over; a live one cannot exist for a new
    /// message (the lookup excludes it), and a second writer fails on the message primary key first.
    /// </summary>
    private const string AppendSql = """
        WITH input AS (
            SELECT m.message_id, m.msg_key, m.body, m.headers, m.ord
            FROM unnest(@ids::text[], @keys::text[], @bodies::bytea[], @headers::text[]) WITH ORDINALITY AS m(message_id, msg_key, body, headers, ord)
        ),
        fresh AS (
            SELECT DISTINCT ON (i.message_id) i.*
            FROM input i
            WHERE NOT EXISTS (
                SELECT 1 FROM orleanssync_queue_dedupe d
                WHERE d.queue = @queue AND d.partition = @partition AND d.message_id = i.message_id AND d.expires_at > @now)
            ORDER BY i.message_id, i.ord
        ),
        numbered AS (
            SELECT f.*, @first + row_number() OVER (ORDER BY f.ord) - 1 AS msg_offset FROM fresh f
        ),
        stored AS (
            INSERT INTO orleanssync_queue_messages (queue, partition, msg_offset, message_id, msg_key, body, headers, published_at)
            SELECT @queue, @partition, n.msg_offset, n.message_id, n.msg_key, n.body, n.headers::jsonb, @now FROM numbered n
            RETURNING msg_offset, message_id
        ),
        remembered AS (
            INSERT INTO orleanssync_queue_dedupe (queue, partition, message_id, msg_offset, expires_at)
            SELECT @queue, @partition, n.message_id, n.msg_offset, @expires FROM numbered n
            ON CONFLICT (queue, partition, message_id) DO UPDATE
            SET msg_offset = EXCLUDED.msg_offset, expires_at = EXCLUDED.expires_at
        )
        SELECT s.msg_offset, s.message_id FROM stored s ORDER BY s.msg_offset
        """;

    public bool IsVolatile => false;

    public async Task<long> GetEndOffsetAsync(string queue, int partition, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT COALESCE(MAX(msg_offset) + 1, 0) FROM orleanssync_queue_messages WHERE queue = @queue AND partition = @partition");
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<StoredQueueMessage>> AppendAsync(
        string queue, int partition, long firstOffset, IReadOnlyList<QueueMessage> messages, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.Id ?? throw new ArgumentException("Messages reach the log with ids assigned.", nameof(messages))).ToArray();

        // One statement, so one round trip and one implicit transaction: the dedupe lookup, the offsets of the new
        // messages, the message rows and the dedupe rows commit together or not at all.
        await using var command = _dataSource.CreateCommand(AppendSql);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("first", firstOffset);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("expires", now + dedupeWindow);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => (object?)m.Key ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = messages.Select(m => m.Body).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = messages.Select(m => m.Headers is null || m.Headers.Count == 0 ? (object)DBNull.Value : JsonSerializer.Serialize(m.Headers)).ToArray(),
        });

        var byId = new Dictionary<string, QueueMessage>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            byId.TryAdd(message.Id!, message);
        }

        var appended = new List<StoredQueueMessage>(messages.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var message = byId[reader.GetString(1)];
                appended.Add(new StoredQueueMessage(reader.GetInt64(0), message.Id!, message.Key, message.Body, message.Headers ?? QueueHeaders.Empty, now));
            }
        }

        await PurgeExpiredDedupeAsync(queue, partition, now, cancellationToken).ConfigureAwait(false);
        return appended;
    }

    public async Task<IReadOnlyList<StoredQueueMessage>> ReadAsync(string queue, int partition, long fromOffset, int max, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT msg_offset, message_id, msg_key, body, headers::text, published_at
            FROM orleanssync_queue_messages
            WHERE queue = @queue AND partition = @partition AND msg_offset >= @from
            ORDER BY msg_offset
            LIMIT @max
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("from", fromOffset);
        command.Parameters.AddWithValue("max", max);
        return await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredQueueMessage>> ReadOffsetsAsync(string queue, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return [];
        }

        await using var command = _dataSource.CreateCommand("""
            SELECT msg_offset, message_id, msg_key, body, headers::text, published_at
            FROM orleanssync_queue_messages
            WHERE queue = @queue AND partition = @partition AND msg_offset = ANY(@offsets)
            ORDER BY msg_offset
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("offsets", offsets.ToArray());
        return await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<DeadLetterRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO orleanssync_queue_dead_letters (queue, consumer_group, partition, msg_offset, delivery_count, reason, dead_at)
            SELECT @queue, @group, @partition, r.msg_offset, r.delivery_count, r.reason, r.dead_at
            FROM unnest(@offsets, @counts, @reasons, @times) AS r(msg_offset, delivery_count, reason, dead_at)
            ON CONFLICT (queue, consumer_group, partition, msg_offset) DO UPDATE
            SET delivery_count = EXCLUDED.delivery_count, reason = EXCLUDED.reason, dead_at = EXCLUDED.dead_at
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("offsets", records.Select(r => r.Offset).ToArray());
        command.Parameters.AddWithValue("counts", records.Select(r => r.DeliveryCount).ToArray());
        command.Parameters.AddWithValue("reasons", records.Select(r => r.Reason).ToArray());
        command.Parameters.AddWithValue("times", records.Select(r => r.DeadLetteredAt).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(string queue, string group, int partition, int max, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT msg_offset, delivery_count, reason, dead_at
            FROM orleanssync_queue_dead_letters
            WHERE queue = @queue AND consumer_group = @group AND partition = @partition
            ORDER BY msg_offset
            LIMIT @max
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<DeadLetterRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new DeadLetterRecord(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return records;
    }

    public async Task RemoveDeadLettersAsync(string queue, string group, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            DELETE FROM orleanssync_queue_dead_letters
            WHERE queue = @queue AND consumer_group = @group AND partition = @partition AND msg_offset = ANY(@offsets)
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("offsets", offsets.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountDeadLettersAsync(string queue, string group, int partition, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT count(*) FROM orleanssync_queue_dead_letters WHERE queue = @queue AND consumer_group = @group AND partition = @partition");
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("partition", partition);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task PurgeExpiredDedupeAsync(string queue, int partition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Expired rows are harmless (lookups filter on expires_at); deleting them at most once a minute per partition
        // keeps the table at about one window of ids without a DELETE per publish.
        var key = (queue, partition);
        if (_lastPurge.TryGetValue(key, out var last) && now - last < PurgeInterval)
        {
            return;
        }

        _lastPurge[key] = now;
        await using var command = _dataSource.CreateCommand(
            "DELETE FROM orleanssync_queue_dedupe WHERE queue = @queue AND partition = @partition AND expires_at <= @now");
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredQueueMessage>> ReadMessagesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<StoredQueueMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var headers = reader.IsDBNull(4)
                ? QueueHeaders.Empty
                : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? QueueHeaders.Empty;
            messages.Add(new StoredQueueMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<byte[]>(3),
                headers,
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return messages;
    }
}
