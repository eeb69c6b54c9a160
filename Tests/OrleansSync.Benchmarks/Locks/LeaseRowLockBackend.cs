using Npgsql;

namespace OrleansSync.Benchmarks.Locks;

/// <summary>
/// The durable lease-row lock people write by hand: <c>INSERT … ON CONFLICT DO UPDATE … WHERE expired</c> to take
/// it, <c>DELETE</c> to release. Waiters poll (every 1 ms here, the most favourable setting); there is no FIFO.
/// </summary>
internal sealed class LeaseRowLockBackend : ILockBackend
{
    private readonly NpgsqlDataSource _dataSource;

    private LeaseRowLockBackend(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public string Name => "PostgreSQL lease row";

    public static async Task<LeaseRowLockBackend> CreateAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE IF NOT EXISTS bench_lock_leases (name text PRIMARY KEY, owner uuid NOT NULL, expires_at timestamptz NOT NULL)");
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new LeaseRowLockBackend(dataSource);
    }

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid();
        while (true)
        {
            await using var command = _dataSource.CreateCommand(
                """
                INSERT INTO bench_lock_leases (name, owner, expires_at) VALUES ($1, $2, now() + interval '30 seconds')
                ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE bench_lock_leases.expires_at < now()
                """);
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue(owner);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new Release(_dataSource, name, owner);
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class Release(NpgsqlDataSource dataSource, string name, Guid owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = dataSource.CreateCommand("DELETE FROM bench_lock_leases WHERE name = $1 AND owner = $2");
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue(owner);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
