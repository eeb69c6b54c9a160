using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Replication;

/// <summary>
/// The PostgreSQL profile's copy store (tables of migration <c>0006_replication.sql</c>). A batch of writes is one
/// statement upserting one row per key, keeping the higher version, so a replayed or reordered batch never moves a key
/// back. Every copy has its own rows, so a copy is as durable as the database wherever its grain is activated.
/// Rows are indexed by block of versions (<c>version_block</c>, migration 0011), not by version, so rewriting a key
/// updates its row in place; reads in version order go through the blocks.
/// </summary>
/// <remarks>
/// Every batch runs the same few statements, so they are prepared once per pooled connection (Npgsql auto-prepare,
/// unless the connection string sets <c>Max Auto Prepare</c> itself): planning the upsert anew cost the server about
/// 0.25 ms of CPU per batch, more than the commit (docs/benchmarks.md). No statement here changes session state (no
/// SET, temporary tables or LISTEN), so a connection returned to the pool needs no reset (<c>No Reset On Close</c>),
/// which also keeps its prepared statements.
/// </remarks>
internal sealed class PostgresReplicaStore(string connectionString) : IReplicaStore
{
    private const int AutoPreparedStatements = 16;

    private readonly NpgsqlDataSource _dataSource = CreateDataSource(connectionString);

    public bool IsVolatile => false;

    public async Task<ReplicaCopyLoad> LoadAsync(string group, int copy, CancellationToken cancellationToken)
    {
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "SELECT promised_epoch, synced_epoch, consistent FROM orleanssync_replica_copies WHERE replica_group = @group AND copy_index = @copy",
            group,
            copy));
        batch.BatchCommands.Add(Command(
            "SELECT version, epoch FROM orleanssync_replica_entries WHERE replica_group = @group AND copy_index = @copy ORDER BY version_block DESC, version DESC LIMIT 1",
            group,
            copy));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var meta = ReplicaCopyMeta.Fresh;
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            meta = new ReplicaCopyMeta(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        long high = 0, lastEpoch = 0;
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            high = reader.GetInt64(0);
            lastEpoch = reader.GetInt64(1);
        }

        return new ReplicaCopyLoad(meta, high, lastEpoch);
    }

    public async Task SaveMetaAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(UpsertMetaSql);
        AddMeta(command.Parameters, group, copy, meta);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ApplyAsync(string group, int copy, IReadOnlyList<ReplicaChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // One row per key per statement (ON CONFLICT cannot touch a row twice): keep each key's highest version.
        var latest = new Dictionary<string, ReplicaChange>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!latest.TryGetValue(change.Key, out var seen) || seen.Version < change.Version)
            {
                latest[change.Key] = change;
            }
        }

        var rows = latest.Values.ToArray();
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO orleanssync_replica_entries (replica_group, copy_index, entry_key, version, epoch, deleted, value)
            SELECT @group, @copy, e.entry_key, e.version, e.epoch, e.deleted, e.value
            FROM unnest(@keys, @versions, @epochs, @deleted, @values) AS e(entry_key, version, epoch, deleted, value)
            ON CONFLICT (replica_group, copy_index, entry_key) DO UPDATE
            SET version = EXCLUDED.version, epoch = EXCLUDED.epoch, deleted = EXCLUDED.deleted, value = EXCLUDED.value
            WHERE orleanssync_replica_entries.version < EXCLUDED.version
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("keys", rows.Select(r => r.Key).ToArray());
        command.Parameters.AddWithValue("versions", rows.Select(r => r.Version).ToArray());
        command.Parameters.AddWithValue("epochs", rows.Select(r => r.Epoch).ToArray());
        command.Parameters.AddWithValue("deleted", rows.Select(r => r.Deleted).ToArray());
        command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            Value = rows.Select(r => (object?)r.Value ?? DBNull.Value).ToArray(),
        });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ResetAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = new NpgsqlCommand(
            "DELETE FROM orleanssync_replica_entries WHERE replica_group = @group AND copy_index = @copy", connection, transaction))
        {
            delete.Parameters.AddWithValue("group", group);
            delete.Parameters.AddWithValue("copy", copy);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var upsert = new NpgsqlCommand(UpsertMetaSql, connection, transaction))
        {
            AddMeta(upsert.Parameters, group, copy, meta);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReplicaChange?> ReadAsync(string group, int copy, string key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT entry_key, value, version, epoch, deleted FROM orleanssync_replica_entries
            WHERE replica_group = @group AND copy_index = @copy AND entry_key = @key
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("key", key);
        var rows = await ReadChangesAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ReplicaChange>> ReadRangeAsync(string group, int copy, long afterVersion, long throughVersion, int max, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT entry_key, value, version, epoch, deleted FROM orleanssync_replica_entries
            WHERE replica_group = @group AND copy_index = @copy
              AND version_block >= @after >> 16 AND version_block <= @through >> 16
              AND version > @after AND version <= @through
            ORDER BY version_block, version
            LIMIT @max
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("after", afterVersion);
        command.Parameters.AddWithValue("through", throughVersion);
        command.Parameters.AddWithValue("max", max);
        return await ReadChangesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private const string UpsertMetaSql = """
        INSERT INTO orleanssync_replica_copies (replica_group, copy_index, promised_epoch, synced_epoch, consistent)
        VALUES (@group, @copy, @promised, @synced, @consistent)
        ON CONFLICT (replica_group, copy_index) DO UPDATE
        SET promised_epoch = EXCLUDED.promised_epoch, synced_epoch = EXCLUDED.synced_epoch, consistent = EXCLUDED.consistent
        """;

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = AutoPreparedStatements;
            settings.AutoPrepareMinUsages = 2;
        }

        settings.NoResetOnClose = true;
        return builder.Build();
    }

    private static void AddMeta(NpgsqlParameterCollection parameters, string group, int copy, ReplicaCopyMeta meta)
    {
        parameters.AddWithValue("group", group);
        parameters.AddWithValue("copy", copy);
        parameters.AddWithValue("promised", meta.PromisedEpoch);
        parameters.AddWithValue("synced", meta.SyncedEpoch);
        parameters.AddWithValue("consistent", meta.Consistent);
    }

    private static NpgsqlBatchCommand Command(string sql, string group, int copy)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        return command;
    }

    private static async Task<IReadOnlyList<ReplicaChange>> ReadChangesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<ReplicaChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new ReplicaChange(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetBoolean(4)));
        }

        return changes;
    }
}
