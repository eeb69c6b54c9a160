using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSync.Silo.Postgres.GrainState;

/// <summary>
/// The rows of <c>orleanssync_grain_record</c> (migration <c>0010_grain_records.sql</c>) for one service, with group
/// commit: writes queued by many grains while a commit runs are written together by the next one, as one statement in
/// one transaction that checks every row's version on its own and reports each row's result.
/// </summary>
/// <remarks>
/// One loop drains the queue into batches and keeps at most <see cref="MaxCommitsInFlight"/> of them committing. It adds
/// no delay of its own: a write that arrives while a commit slot is free is sent at once, alone. Under load, each commit
/// carries whatever queued while the others ran, which turns one transaction (and one WAL flush) per grain write into
/// one per batch. Two writes of the same row never share a statement or run in two commits at once: the later one waits
/// until the earlier one's commit has ended, so each is checked against the version the earlier one left (and two
/// commits never wait on each other's row locks). A failed statement (connection lost, server error) fails every
/// write of its batch with that exception; whether such a batch committed is unknown, as for any lost commit, and the
/// next write of each of those grains finds out through its version.
/// </remarks>
internal sealed class PostgresGrainStateStore : IAsyncDisposable, IDisposable
{
    /// <summary>At most this many writes share one statement.</summary>
    internal const int MaxBatchSize = 256;

    /// <summary>
    /// At most this many batches are being committed at once. More than one keeps writes flowing while one commit is
    /// slow (a database backend waiting for a core), at the price of smaller batches.
    /// </summary>
    internal const int MaxCommitsInFlight = 2;

    private const string ReadSql = """
        SELECT payload, version FROM orleanssync_grain_record
        WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND state_name = $4
        """;

    // Updates (a version given) and inserts (none given) of one batch in one statement. The insert reports its rows by
    // key, which is unique within a batch; ON CONFLICT DO NOTHING makes an insert over an existing row report nothing.
    private const string WriteSql = """
        WITH batch AS (
            SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::bigint[])
                AS b(ord, grain_type, grain_key, state_name, payload, expected_version)
        ),
        updated AS (
            UPDATE orleanssync_grain_record AS r
            SET payload = b.payload, version = r.version + 1, modified_at = now()
            FROM batch AS b
            WHERE b.expected_version IS NOT NULL
              AND r.service_id = $1 AND r.grain_type = b.grain_type AND r.grain_key = b.grain_key
              AND r.state_name = b.state_name AND r.version = b.expected_version
            RETURNING b.ord, r.version
        ),
        inserted AS (
            INSERT INTO orleanssync_grain_record AS r (service_id, grain_type, grain_key, state_name, payload, version)
            SELECT $1, b.grain_type, b.grain_key, b.state_name, b.payload, 1 FROM batch AS b
            WHERE b.expected_version IS NULL
            ON CONFLICT ON CONSTRAINT orleanssync_grain_record_key DO NOTHING
            RETURNING r.grain_type, r.grain_key, r.state_name, r.version
        )
        SELECT ord, version FROM updated
        UNION ALL
        SELECT b.ord, i.version FROM inserted AS i
        JOIN batch AS b ON b.expected_version IS NULL AND b.grain_type = i.grain_type
            AND b.grain_key = i.grain_key AND b.state_name = i.state_name
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly Channel<GrainStateWrite> _queue =
        Channel.CreateUnbounded<GrainStateWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly SemaphoreSlim _slots = new(MaxCommitsInFlight, MaxCommitsInFlight);

    // Rows of the batches being committed: a later write of such a row waits for that commit to end.
    private readonly HashSet<GrainStateKey> _inFlight = [];
    private TaskCompletionSource _commitEnded = NewSignal();

    /// <summary>Initializes a new instance of the <see cref="PostgresGrainStateStore"/> class and starts its writer.</summary>
    /// <param name="connectionString">Npgsql connection string of a database migrated to 0010 or later.</param>
    /// <param name="serviceId">The Orleans service id; rows of other services are never read or written.</param>
    public PostgresGrainStateStore(string connectionString, string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _serviceId = serviceId;

        // Off any grain's scheduler: the loop belongs to the silo, not to the activation that happened to create it.
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Reads one row.</summary>
    /// <returns>The row, or null if this table has none for the key.</returns>
    public async Task<GrainStateRow?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ReadSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key.GrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key.GrainKey });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key.StateName });

        // Prepared once per physical connection; later calls on that connection skip planning.
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var payload = await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) ? null : reader.GetFieldValue<byte[]>(0);
        return new GrainStateRow(payload, reader.GetInt64(1));
    }

    /// <summary>Queues a write for the next group commit.</summary>
    /// <param name="key">The row.</param>
    /// <param name="payload">The serialized state; null clears the row (keeps it with a new version).</param>
    /// <param name="expectedVersion">The version the caller last saw; null inserts only if the row does not exist.</param>
    /// <returns>After the commit: the new version, or null when the row's version did not match.</returns>
    /// <exception cref="ObjectDisposedException">The store is shutting down.</exception>
    /// <exception cref="NpgsqlException">The commit that held this write failed (it may or may not have committed).</exception>
    public Task<long?> WriteAsync(GrainStateKey key, byte[]? payload, long? expectedVersion)
    {
        var write = new GrainStateWrite(key, payload, expectedVersion);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgresGrainStateStore), "The grain state store is shutting down.");
        }

        return write.Completion;
    }

    /// <summary>Writes <paramref name="batch"/> in one statement and completes every write with its own result.</summary>
    /// <param name="batch">Writes with distinct keys.</param>
    internal async Task CommitAsync(IReadOnlyList<GrainStateWrite> batch)
    {
        try
        {
            var ords = new int[batch.Count];
            var types = new string[batch.Count];
            var keys = new string[batch.Count];
            var states = new string[batch.Count];
            var payloads = new byte[]?[batch.Count];
            var expected = new long?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                ords[i] = i;
                types[i] = write.Key.GrainType;
                keys[i] = write.Key.GrainKey;
                states[i] = write.Key.StateName;
                payloads[i] = write.Payload;
                expected[i] = write.ExpectedVersion;
            }

            var versions = new long?[batch.Count];
            await using (var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false))
            await using (var command = new NpgsqlCommand(WriteSql, connection))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = _serviceId });
                command.Parameters.Add(new NpgsqlParameter<int[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = ords });
                command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
                command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys });
                command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = states });
                command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = payloads });
                command.Parameters.Add(new NpgsqlParameter<long?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = expected });
                await command.PrepareAsync().ConfigureAwait(false);

                // One statement is one implicit transaction: every row below is committed when the reader is done.
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    versions[reader.GetInt32(0)] = reader.GetInt64(1);
                }
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(versions[i]);
            }
        }
#pragma warning disable CA1031 // every failure belongs to the writers of the batch, which see it as their write's exception
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var write in batch)
            {
                write.Fail(ex);
            }
        }
    }

    /// <summary>Stops taking writes, commits what is queued and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _slots.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _slots.Dispose();
        _dataSource.Dispose();
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var carried = new List<GrainStateWrite>();
        var queueOpen = true;
        while (true)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            List<GrainStateWrite> batch;
            while (true)
            {
                // Taken before looking at the rows in flight, so a commit that ends after the look still wakes us.
                var commitEnded = Volatile.Read(ref _commitEnded).Task;
                batch = TakeBatch(reader, carried);
                if (batch.Count > 0)
                {
                    break;
                }

                if (!queueOpen && carried.Count == 0)
                {
                    // Shutting down: wait for the commits still running, then stop.
                    for (var i = 1; i < MaxCommitsInFlight; i++)
                    {
                        await _slots.WaitAsync().ConfigureAwait(false);
                    }

                    return;
                }

                // Nothing can go now: wait for new writes or for a commit to end (its rows may be held back here).
                if (queueOpen)
                {
                    var arrived = reader.WaitToReadAsync().AsTask();
                    if (await Task.WhenAny(arrived, commitEnded).ConfigureAwait(false) == arrived && !await arrived.ConfigureAwait(false))
                    {
                        queueOpen = false;
                    }
                }
                else
                {
                    await commitEnded.ConfigureAwait(false);
                }
            }

            _ = CommitAndReleaseAsync(batch);
        }
    }

    /// <summary>
    /// Up to <see cref="MaxBatchSize"/> writes for the next commit: held-back writes first, then queued ones, skipping
    /// rows already in this batch or in a running commit (those wait, in order, in <paramref name="carried"/>).
    /// </summary>
    private List<GrainStateWrite> TakeBatch(ChannelReader<GrainStateWrite> reader, List<GrainStateWrite> carried)
    {
        var batch = new List<GrainStateWrite>();
        lock (_inFlight)
        {
            var held = carried.ToArray();
            carried.Clear();
            foreach (var write in held)
            {
                Take(write);
            }

            while (batch.Count < MaxBatchSize && reader.TryRead(out var write))
            {
                Take(write);
            }
        }

        return batch;

        void Take(GrainStateWrite write)
        {
            if (batch.Count < MaxBatchSize && _inFlight.Add(write.Key))
            {
                batch.Add(write);
            }
            else
            {
                carried.Add(write);
            }
        }
    }

    private async Task CommitAndReleaseAsync(List<GrainStateWrite> batch)
    {
        await CommitAsync(batch).ConfigureAwait(false);
        lock (_inFlight)
        {
            foreach (var write in batch)
            {
                _inFlight.Remove(write.Key);
            }
        }

        _slots.Release();
        Interlocked.Exchange(ref _commitEnded, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
