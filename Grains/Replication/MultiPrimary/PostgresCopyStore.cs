using Npgsql;
using Orleans.Serialization;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// The PostgreSQL profile's copy store (table of migration <c>0007_crdt_replicas.sql</c>): one row per
/// (group, copy, key), upserted (or, for purged keys, deleted) per save in one statement. States are stored with the Orleans serializer, whose
/// field ids keep old rows readable after the contract types gain fields.
/// </summary>
internal sealed class PostgresCopyStore(string connectionString, Serializer serializer) : ICopyStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public bool IsVolatile => false;

    public async Task<IReadOnlyDictionary<string, ReplicatedValue>> LoadAsync(string group, int copy, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT entry_key, state FROM orleanssync_crdt_replicas WHERE replica_group = @group AND copy_index = @copy");
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries[reader.GetString(0)] = serializer.Deserialize<ReplicatedValue>(reader.GetFieldValue<byte[]>(1))
                ?? throw new InvalidDataException($"Row {group}/{copy}/{reader.GetString(0)} holds no state.");
        }

        return entries;
    }

    public async Task SaveAsync(string group, int copy, IReadOnlyList<KeyValuePair<string, ReplicatedValue?>> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var saved = entries.Where(static e => e.Value is not null).Select(static e => KeyValuePair.Create(e.Key, e.Value!)).ToList();
        await using var command = _dataSource.CreateCommand("""
            WITH purged AS (
                DELETE FROM orleanssync_crdt_replicas
                WHERE replica_group = @group AND copy_index = @copy AND entry_key = ANY(@removed))
            INSERT INTO orleanssync_crdt_replicas (replica_group, copy_index, entry_key, state, digest, updated_at)
            SELECT @group, @copy, e.entry_key, e.state, e.digest, now()
            FROM unnest(@keys, @states, @digests) AS e(entry_key, state, digest)
            ON CONFLICT (replica_group, copy_index, entry_key) DO UPDATE
            SET state = EXCLUDED.state, digest = EXCLUDED.digest, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("copy", copy);
        command.Parameters.AddWithValue("removed", entries.Where(static e => e.Value is null).Select(static e => e.Key).ToArray());
        command.Parameters.AddWithValue("keys", saved.Select(e => e.Key).ToArray());
        command.Parameters.AddWithValue("states", saved.Select(e => serializer.SerializeToArray(e.Value)).ToArray());
        command.Parameters.AddWithValue("digests", saved.Select(e => unchecked((long)ValueDigest.Compute(e.Value))).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
