using System.Net.Sockets;
using Npgsql;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo.Postgres;

/// <summary>
/// Checks, before Orleans starts, that PostgreSQL answers and holds the current schema (applying it when
/// <see cref="OrleansSyncOptions.Migrate"/> is set), so a misconfigured silo exits with one clear line
/// instead of a provider stack trace.
/// </summary>
internal static class PostgresPreflight
{
    public const int UnreachableExitCode = 3;
    public const int SchemaMissingExitCode = 4;

    public static async Task EnsureReadyAsync(OrleansSyncOptions options, ILoggerFactory loggers, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var target = Describe(options.ConnectionString);
        await PingAsync(options, target, cancellationToken).ConfigureAwait(false);

        var migrator = new PostgresSchemaMigrator(options.ConnectionString!, loggers.CreateLogger<PostgresSchemaMigrator>());
        if (migrate)
        {
            await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var state = await migrator.GetStateAsync(cancellationToken).ConfigureAwait(false);
        if (!state.IsCurrent)
        {
            var found = state.AppliedVersion == 0 ? "no OrleansSync schema" : $"schema version {state.AppliedVersion}";
            throw new StartupFailure(
                $"OrleansSync: {target} has {found}, this silo needs version {state.LatestVersion}. " +
                "Run 'dotnet run --project Silo -- migrate' with the same settings, or start with OrleansSync__Migrate=true.",
                SchemaMissingExitCode);
        }
    }

    /// <summary>Opens one connection within the configured timeout; any failure becomes a one-line <see cref="StartupFailure"/>.</summary>
    public static async Task PingAsync(OrleansSyncOptions options, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DatabaseConnectTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? $"no answer within {options.DatabaseConnectTimeout.TotalSeconds:0.#} s" : ex.Message;
            throw new StartupFailure(
                $"OrleansSync: cannot reach PostgreSQL at {target}: {reason}. " +
                "Check that the server is running and that OrleansSync__ConnectionString names it.",
                UnreachableExitCode,
                ex);
        }
    }

    /// <summary>"host:port/database" for messages; never includes credentials.</summary>
    public static string Describe(string? connectionString)
    {
        try
        {
            var parts = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{parts.Host ?? "localhost"}:{parts.Port}/{parts.Database ?? parts.Username ?? "(default database)"}";
        }
        catch (ArgumentException ex)
        {
            throw new StartupFailure($"OrleansSync:ConnectionString is not a valid Npgsql connection string: {ex.Message}", 2, ex);
        }
    }
}
