using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Replication;

/// <summary>
/// The PostgreSQL profile's copy store (tables of migrations <c>0006_replication.sql</c> and <c>0012_replica_log.sql</c>).
/// A batch of writes is stored as one log row, the commit a write waits for; shortly after (<see cref="FoldDelay"/>)
/// the copy's log rows are folded into one row per key, keeping each key's highest version, so a replayed or reordered
/// batch never moves a key back. Every copy has its own rows, so a copy is as durable as the database wherever its
/// grain is activated. Per-key rows are indexed by block of versions (<c>version_block</c>, migration 0011), not by
/// version, so rewriting a key updates its row in place; reads in version order go through the blocks.
/// </summary>
/// <remarks>
/// Every batch runs the same few statements, so they are prepared once per pooled connection (Npgsql auto-prepare,
/// unless the connection string sets <c>Max Auto Prepare</c> itself): planning the upsert anew cost the server about
/// 0.25 ms of CPU per batch, more than the commit (docs/benchmarks.md). No statement here changes session state (no
/// SET outside a transaction's own <c>SET LOCAL</c>, no temporary tables or LISTEN), so a connection returned to the pool
/// needs no reset (<c>No Reset On Close</c>), which also keeps its prepared statements.
/// A fold's transaction commits without waiting for its WAL flush (<c>synchronous_commit</c> off for it alone): it deletes
/// the log rows it folds, so a server that loses it still has them, and the next fold or load folds them again.
/// </remarks>
/// <param name="connectionString">Npgsql connection string of the OrleansSync database.</param>
/// <param name="logger">Where failed background folds and vacuums are reported.</param>
/// <param name="foldDelay">
/// How long after a copy's first unfolded batch its log is folded; <see cref="FoldDelay"/> when null.
/// <see cref="Timeout.InfiniteTimeSpan"/> leaves folding to readers and loads (tests).
/// </param>
internal sealed partial class PostgresReplicaStore(string connectionString, ILogger logger, TimeSpan? foldDelay = null) : IReplicaStore, IAsyncDisposable
{
    /// <summary>
    /// How long after a copy's first unfolded batch its log is folded. Batches stored in that window are folded by one
    /// statement, and a key written several times in it is written once; a longer window makes a read of one key search
    /// more log rows. In the replication benchmark 250 ms gave more writes/s than 100 ms, at less database CPU per write
    /// (docs/benchmarks.md).
    /// </summary>
    internal static readonly TimeSpan FoldDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often, at most, this silo vacuums the log table while it folds. Every stored batch leaves a dead row of a few
    /// kilobytes once folded, and autovacuum visits a database about once a minute (<c>autovacuum_naptime</c>): at 10,000
    /// writes/s the table grew to about 330 MB between its visits.
    /// </summary>
    internal static readonly TimeSpan VacuumEvery = TimeSpan.FromSeconds(1);

    private const int AutoPreparedStatements = 16;

    private readonly NpgsqlDataSource _dataSource = CreateDataSource(connectionString);
    private readonly ConcurrentDictionary<(string Group, int Copy), ReplicaLogFolding> _folding = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _vacuumDue;
    private int _vacuuming;

    public bool IsVolatile => false;

    public async Task<ReplicaCopyLoad> LoadAsync(string group, int copy, CancellationToken cancellationToken)
    {
        // Whatever the copy logged, here or on the silo it was active on before, is folded before its end is read.
        await FoldAsync(group, copy, cancellationToken).ConfigureAwait(false);
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

        var keys = new string[changes.Count];
        var versions = new long[changes.Count];
        var epochs = new long[changes.Count];
        var deleted = new bool[changes.Count];
        var values = new object[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            keys[i] = change.Key;
            versions[i] = change.Version;
            epochs[i] = change.Epoch;
            deleted[i] = change.Deleted;
            values[i] = (object?)change.Value ?? DBNull.Value;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO orleanssync_replica_log (replica_group, copy_index, entry_keys, versions, epochs, deleted, entry_values)
            VALUES (@group, @copy, @keys, @versions, @epochs, @deleted, @values)
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("keys", keys);
        command.Parameters.AddWithValue("versions", versions);
        command.Parameters.AddWithValue("epochs", epochs);
        command.Parameters.AddWithValue("deleted", deleted);
        command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = values });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure: the row may have committed before the answer was lost, and a fold finding nothing is cheap.
            NoteLogged(group, copy);
        }
    }

    public async Task ResetAsync(string group, int copy, ReplicaCopyMeta meta, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The log first: a fold holding some of its rows makes this wait for it, and the delete of the per-key rows that
        // follows then sees (and deletes) what that fold wrote.
        foreach (var table in (string[])["orleanssync_replica_log", "orleanssync_replica_entries"])
        {
            await using var delete = new NpgsqlCommand(
                $"DELETE FROM {table} WHERE replica_group = @group AND copy_index = @copy", connection, transaction);
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
        // The key's newest write is in its row or in a log row not folded yet, whichever has the higher version. Log rows
        // are searched with array_positions, which compares keys without unpacking each write into a row.
        await using var command = _dataSource.CreateCommand("""
            SELECT entry_key, value, version, epoch, deleted FROM orleanssync_replica_entries
            WHERE replica_group = @group AND copy_index = @copy AND entry_key = @key
            UNION ALL
            SELECT @key, l.entry_values[p], l.versions[p], l.epochs[p], l.deleted[p]
            FROM orleanssync_replica_log AS l, unnest(array_positions(l.entry_keys, @key)) AS p
            WHERE l.replica_group = @group AND l.copy_index = @copy
            ORDER BY version DESC
            LIMIT 1
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("key", key);
        var rows = await ReadChangesAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ReplicaChange>> ReadRangeAsync(string group, int copy, long afterVersion, long throughVersion, int max, CancellationToken cancellationToken)
    {
        // A key rewritten in the log must not show its superseded version here: read the per-key rows once folded.
        if (_folding.TryGetValue((group, copy), out var folding))
        {
            await folding.FoldNowAsync(cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>Stops scheduled folds (what they would have folded waits in the log for the copy's next load) and closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);

        // The token source stays undisposed: a grain call still finishing may note a batch and read its token, which a
        // disposed source would answer with ObjectDisposedException. It holds no timer, so nothing leaks.
    }

    /// <summary>Folds every log row of the copy into its per-key rows and deletes them, in one transaction.</summary>
    private async Task FoldAsync(string group, int copy, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO OFF"));
            var fold = new NpgsqlBatchCommand("""
                WITH folded AS (
                    DELETE FROM orleanssync_replica_log
                    WHERE replica_group = @group AND copy_index = @copy
                    RETURNING entry_keys, versions, epochs, deleted, entry_values),
                latest AS (
                    SELECT DISTINCT ON (e.entry_key) e.entry_key, e.version, e.epoch, e.deleted, e.value
                    FROM folded, unnest(folded.entry_keys, folded.versions, folded.epochs, folded.deleted, folded.entry_values)
                         AS e(entry_key, version, epoch, deleted, value)
                    ORDER BY e.entry_key, e.version DESC)
                INSERT INTO orleanssync_replica_entries (replica_group, copy_index, entry_key, version, epoch, deleted, value)
                SELECT @group, @copy, entry_key, version, epoch, deleted, value FROM latest
                ON CONFLICT (replica_group, copy_index, entry_key) DO UPDATE
                SET version = EXCLUDED.version, epoch = EXCLUDED.epoch, deleted = EXCLUDED.deleted, value = EXCLUDED.value
                WHERE orleanssync_replica_entries.version < EXCLUDED.version
                """);
            fold.Parameters.AddWithValue("group", group);
            fold.Parameters.AddWithValue("copy", copy);
            batch.BatchCommands.Add(fold);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        VacuumLogIfDue();
    }

    /// <summary>
    /// Vacuums the log table, at most once per <see cref="VacuumEvery"/> and never twice at once from this silo, in the
    /// background. <c>SKIP_LOCKED</c>: while another silo vacuums it, there is nothing to add.
    /// </summary>
    private void VacuumLogIfDue()
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _vacuumDue) || Interlocked.Exchange(ref _vacuuming, 1) == 1)
        {
            return;
        }

        _ = VacuumLogAsync();
    }

    private async Task VacuumLogAsync()
    {
        try
        {
            await using var command = _dataSource.CreateCommand("VACUUM (SKIP_LOCKED) orleanssync_replica_log");
            await command.ExecuteNonQueryAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Autovacuum still gets to the table; until it does, the table only grows.
            VacuumFailed(logger, ex);
        }
        finally
        {
            Volatile.Write(ref _vacuumDue, Stopwatch.GetTimestamp() + (long)(VacuumEvery.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _vacuuming, 0);
        }
    }

    /// <summary>Notes a committed log row of the copy, so a fold follows.</summary>
    private void NoteLogged(string group, int copy)
    {
        var key = (group, copy);
        while (true)
        {
            var folding = _folding.GetOrAdd(key, static (k, store) => store.NewFolding(k.Group, k.Copy), this);
            if (folding.NoteLogged())
            {
                return;
            }

            // It retired between the lookup and the note; it removes itself, or this does.
            _folding.TryRemove(KeyValuePair.Create(key, folding));
        }
    }

    private ReplicaLogFolding NewFolding(string group, int copy) => new(
        cancellationToken => FoldAsync(group, copy, cancellationToken),
        retired => _folding.TryRemove(KeyValuePair.Create((group, copy), retired)),
        foldDelay ?? FoldDelay,
        logger,
        group,
        copy,
        _stopping.Token);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vacuuming the replica log table failed; it grows until autovacuum gets to it")]
    private static partial void VacuumFailed(ILogger logger, Exception exception);
}
