using System.Text.Json;
using Npgsql;

namespace OrleansSync.Queues;

/// <summary>
/// The PostgreSQL profile's queue log (tables of migrations <c>0005_queues.sql</c> and <c>0009_queue_batches.sql</c>):
/// one row per append chunk of a partition (<see cref="PostgresPartitionWriter"/>), holding its messages as parallel
/// arrays; an offset names one message inside a row. Reads fetch the rows that cover the offsets asked for.
/// </summary>
internal sealed class PostgresQueueLog : IQueueLog
{
    /// <summary>Statements prepared per connection (Npgsql auto-prepare), unless the connection string sets its own.</summary>
    private const int AutoPreparedStatements = 32;

    private const string Columns = "first_offset, published_at, message_ids, msg_keys, bodies, headers";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresQueueLog(string connectionString)
    {
        // The log's few statements run thousands of times a second: prepared, they skip parsing and planning.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public bool IsVolatile => false;

    public async Task<IQueuePartitionWriter> OpenWriterAsync(
        string queue, int partition, DateTimeOffset now, TimeSpan dedupeWindow, CancellationToken cancellationToken) =>
        await PostgresPartitionWriter.OpenAsync(_dataSource, queue, partition, now, dedupeWindow, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<StoredQueueMessage>> ReadAsync(string queue, int partition, long fromOffset, int max, CancellationToken cancellationToken)
    {
        // The rows from the one holding fromOffset up to the one holding fromOffset + max - 1 (rows are contiguous).
        await using var command = _dataSource.CreateCommand($"""
            SELECT {Columns}
            FROM orleanssync_queue_batches
            WHERE queue = @queue AND partition = @partition
              AND first_offset >= COALESCE((
                  SELECT b.first_offset FROM orleanssync_queue_batches b
                  WHERE b.queue = @queue AND b.partition = @partition AND b.first_offset <= @from
                  ORDER BY b.first_offset DESC
                  LIMIT 1), 0)
              AND first_offset < @until
            ORDER BY first_offset
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("from", fromOffset);
        command.Parameters.AddWithValue("until", fromOffset + max);
        return await ReadMessagesAsync(command, o => o >= fromOffset && o < fromOffset + max, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredQueueMessage>> ReadOffsetsAsync(string queue, int partition, IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return [];
        }

        await using var command = _dataSource.CreateCommand($"""
            SELECT {Columns}
            FROM orleanssync_queue_batches
            WHERE queue = @queue AND partition = @partition
              AND first_offset IN (
                  SELECT (SELECT b.first_offset FROM orleanssync_queue_batches b
                          WHERE b.queue = @queue AND b.partition = @partition AND b.first_offset <= o
                          ORDER BY b.first_offset DESC
                          LIMIT 1)
                  FROM unnest(@offsets) AS o)
            ORDER BY first_offset
            """);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("offsets", offsets.ToArray());
        var wanted = offsets.ToHashSet();
        return await ReadMessagesAsync(command, wanted.Contains, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The messages of the rows read whose offset <paramref name="wanted"/> accepts, in offset order.</summary>
    private static async Task<IReadOnlyList<StoredQueueMessage>> ReadMessagesAsync(
        NpgsqlCommand command, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<StoredQueueMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var first = reader.GetInt64(0);
            var publishedAt = reader.GetFieldValue<DateTimeOffset>(1);
            var ids = reader.GetFieldValue<string[]>(2);
            var keys = reader.GetFieldValue<string?[]>(3);
            var bodies = reader.GetFieldValue<byte[][]>(4);
            var headers = reader.GetFieldValue<string?[]>(5);
            for (var i = 0; i < ids.Length; i++)
            {
                if (!wanted(first + i))
                {
                    continue;
                }

                var messageHeaders = headers[i] is { } json
                    ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? QueueHeaders.Empty
                    : QueueHeaders.Empty;
                messages.Add(new StoredQueueMessage(first + i, ids[i], keys[i], bodies[i], messageHeaders, publishedAt));
            }
        }

        return messages;
    }
}
