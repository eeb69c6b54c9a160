using Medallion.Threading;
using Medallion.Threading.Postgres;

namespace OrleansSync.Benchmarks.Locks;

/// <summary>DistributedLock.Postgres (session advisory locks; waiters block in PostgreSQL).</summary>
internal sealed class DistributedLockPostgresBackend(string connectionString) : ILockBackend
{
    private readonly PostgresDistributedSynchronizationProvider _provider = new(connectionString);

    public string Name => "DistributedLock.Postgres";

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken) =>
        await _provider.AcquireLockAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        // Its connections would otherwise stay open and count against max_connections for the next backend.
        Npgsql.NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
