using System.Net.Sockets;
using Npgsql;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: <c>ORLEANSSYNC_TEST_PG</c> (an Npgsql connection string without a
/// database) or, when that is unset, the local server that the test script installs and starts.
/// </summary>
/// <remarks>
/// A test that needs PostgreSQL must fail, loudly, when the server is missing: a skipped or silently passing
/// test would hide that the PostgreSQL profile was never exercised.
/// </remarks>
internal static class PostgresServer
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string EnvironmentVariable = "ORLEANSSYNC_TEST_PG";

    /// <summary>The connection string used when <see cref="EnvironmentVariable"/> is unset.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=orleanssync;Password=orleanssync";

    /// <summary>Gets the server connection string (no database chosen; Npgsql then uses the user's database).</summary>
    public static string ConnectionString
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured.Trim();
        }
    }

    /// <summary>Gets the server's <c>host:port</c>, for messages.</summary>
    public static string Endpoint
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{builder.Host}:{builder.Port}";
        }
    }

    /// <summary>Builds a connection string for one database on the server.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>
    /// Opens a connection to the server's <c>postgres</c> maintenance database (to create and drop test databases),
    /// or throws an <see cref="InvalidOperationException"/> that says how to get a server.
    /// </summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>An open connection; the caller disposes it.</returns>
    public static async Task<NpgsqlConnection> OpenMaintenanceConnectionAsync(CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" };
        if (!builder.ContainsKey("Timeout"))
        {
            // Fail within seconds, not Npgsql's default 15 s, when nothing listens.
            builder.Timeout = 5;
        }

        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw Unreachable(ex);
        }
    }

    /// <summary>Builds the exception that explains the server is missing or refused the test login.</summary>
    /// <param name="cause">What went wrong when connecting.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException Unreachable(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var shown = string.IsNullOrWhiteSpace(configured) ? "<unset; default " + Redacted(DefaultConnectionString) + ">" : Redacted(configured);
        var reason = cause is PostgresException postgres
            ? $"the server answered {postgres.SqlState}: {postgres.MessageText}"
            : cause.Message;
        return new InvalidOperationException(
            $"PostgreSQL is not reachable at {Endpoint} ({EnvironmentVariable}={shown}): run the test script, which installs and starts it. ({reason})",
            cause);
    }

    private static string Redacted(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "<not a valid connection string>";
        }
    }
}
