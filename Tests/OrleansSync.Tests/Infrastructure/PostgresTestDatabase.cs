using Npgsql;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>A database created for one test (or test class) on <see cref="PostgresServer"/>; disposing it drops it.</summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgresTestDatabase"/> class for an existing database.</summary>
    /// <param name="name">The database name.</param>
    public PostgresTestDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        ConnectionString = PostgresServer.ConnectionStringFor(name);
    }

    /// <summary>Gets the database name (<c>orleanssync_test_…</c>).</summary>
    public string Name { get; }

    /// <summary>Gets an Npgsql connection string for the database.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens a connection to the database.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>An open connection; the caller disposes it.</returns>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs a <c>SELECT count(*) …</c> (or any query answering one bigint) and returns its value.</summary>
    /// <param name="sql">The query, without parameters.</param>
    /// <returns>The count.</returns>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Drops the database, disconnecting whoever still uses it (e.g. a silo that was not stopped).</summary>
    /// <returns>A task that completes when the database is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Pooled idle connections would otherwise be killed by FORCE and surface later as broken connections.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = await PostgresServer.OpenMaintenanceConnectionAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
