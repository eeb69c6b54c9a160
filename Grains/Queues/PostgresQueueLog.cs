using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Queues;

/// <summary>
/// The PostgreSQL profile's queue log (tables of migration <c>0005_queues.sql</c>). An append is one transaction:
/// dedupe lookup, message rows and dedupe rows commit together before the publisher hears back. The primary key
/// (queue, partition, offset) turns a second writer (a duplicate activation) into a failed transaction, never a fork.
/// </summary>
internal sealed class PostgresQueueLog(string connectionString) : IQueueLog
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);
    private readonly ConcurrentDictionary<(string Queue, int Partition), DateTimeOffset> _lastPurge = new();

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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var ids = messages.Select(m => m.Id ?? throw new ArgumentException("Messages reach the log with ids assigned.", nameof(messages))).ToArray();
        var seen = await ReadLiveIdsAsync(connection, transaction, queue, partition, ids, now, cancellationToken).ConfigureAwait(false);

        var appended = new List<StoredQueueMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (seen.Add(message.Id!))
            {
                appended.Add(new StoredQueueMessage(firstOffset + appended.Count, message.Id!, message.Key, message.Body, message.Headers ?? QueueHeaders.Empty, now));
            }
        }

        if (appended.Count > 0)
        {
            await InsertMessagesAsync(connection, transaction, queue, partition, appended, now, cancellationToken).ConfigureAwait(false);
            await InsertDedupeAsync(connection, transaction, queue, partition, appended, now + dedupeWindow, cancellationToken).ConfigureAwait(false);
        }

        await PurgeExpiredDedupeAsync(connection, transaction, queue, partition, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task<HashSet<string>> ReadLiveIdsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string queue, int partition, string[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT message_id FROM orleanssync_queue_dedupe
            WHERE queue = @queue AND partition = @partition AND message_id = ANY(@ids) AND expires_at > @now
            """, connection, transaction);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var live = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            live.Add(reader.GetString(0));
        }

        return live;
    }

    private static async Task InsertMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string queue, int partition, List<StoredQueueMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleanssync_queue_messages (queue, partition, msg_offset, message_id, msg_key, body, headers, published_at)
            SELECT @queue, @partition, m.msg_offset, m.message_id, m.msg_key, m.body, m.headers::jsonb, @now
            FROM unnest(@offsets, @ids, @keys, @bodies, @headers) AS m(msg_offset, message_id, msg_key, body, headers)
            """, connection, transaction);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("offsets", messages.Select(m => m.Offset).ToArray());
        command.Parameters.AddWithValue("ids", messages.Select(m => m.Id).ToArray());
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => (object?)m.Key ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = messages.Select(m => m.Body).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = messages.Select(m => m.Headers.Count == 0 ? (object)DBNull.Value : JsonSerializer.Serialize(m.Headers)).ToArray(),
        });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertDedupeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string queue, int partition, List<StoredQueueMessage> messages, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        // An expired row for the same id is taken over; a live one cannot exist (read above in this transaction, and
        // the partition has one writer; a second one fails on the message primary key first).
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleanssync_queue_dedupe (queue, partition, message_id, msg_offset, expires_at)
            SELECT @queue, @partition, d.message_id, d.msg_offset, @expires
            FROM unnest(@ids, @offsets) AS d(message_id, msg_offset)
            ON CONFLICT (queue, partition, message_id) DO UPDATE
            SET msg_offset = EXCLUDED.msg_offset, expires_at = EXCLUDED.expires_at
            """, connection, transaction);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("expires", expiresAt);
        command.Parameters.AddWithValue("ids", messages.Select(m => m.Id).ToArray());
        command.Parameters.AddWithValue("offsets", messages.Select(m => m.Offset).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PurgeExpiredDedupeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string queue, int partition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Expired rows are harmless (lookups filter on expires_at); deleting them at most once a minute per partition
        // keeps the table at about one window of ids without a DELETE per publish.
        var key = (queue, partition);
        if (_lastPurge.TryGetValue(key, out var last) && now - last < PurgeInterval)
        {
            return;
        }

        _lastPurge[key] = now;
        await using var command = new NpgsqlCommand(
            "DELETE FROM orleanssync_queue_dedupe WHERE queue = @queue AND partition = @partition AND expires_at <= @now", connection, transaction);
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
