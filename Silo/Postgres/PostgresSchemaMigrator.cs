using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansSync.Silo.Postgres;

/// <summary>
/// Creates and upgrades the OrleansSync PostgreSQL schema (the tables and the <c>OrleansQuery</c> rows used by
/// Orleans' ADO.NET clustering, grain storage and reminder providers) from the numbered SQL scripts embedded
/// in this assembly (<c>Postgres/Migrations/NNNN_name.sql</c>).
/// </summary>
/// <remarks>
/// Several silos may start at once against the same database: <see cref="MigrateAsync"/> holds a PostgreSQL
/// advisory lock for its whole run, so exactly one of them applies a given migration and the others wait and
/// then find nothing to do. Each migration runs in its own transaction together with the row that records it.
/// </remarks>
internal sealed partial class PostgresSchemaMigrator
{
    /// <summary>
    /// The advisory lock key that serialises migrations ("OSyncMig" in ASCII). Advisory locks are scoped to a
    /// database, so this only excludes other migrators of the same database.
    /// </summary>
    internal const long AdvisoryLockKey = 0x4F53_796E_634D_6967;

    /// <summary>The table that records applied migrations.</summary>
    internal const string HistoryTable = "orleanssync_schema_migrations";

    /// <summary>The oldest server this schema supports (it uses <c>UNIQUE NULLS NOT DISTINCT</c>).</summary>
    internal const int MinimumServerMajorVersion = 15;

    private const string ResourceMarker = ".Postgres.Migrations.";

    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations = new(LoadEmbeddedMigrations);

    private readonly string _connectionString;
    private readonly ILogger<PostgresSchemaMigrator> _logger;

    /// <summary>Initializes a new instance of the <see cref="PostgresSchemaMigrator"/> class.</summary>
    /// <param name="connectionString">An Npgsql connection string for the database to migrate.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, blank or not a valid Npgsql connection string.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is null.</exception>
    public PostgresSchemaMigrator(string connectionString, ILogger<PostgresSchemaMigrator> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        try
        {
            // Parse now so that a typo fails at start-up with the parameter name, not at the first query.
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Not a valid PostgreSQL connection string: {ex.Message}", nameof(connectionString), ex);
        }

        _connectionString = connectionString;
        _logger = logger;
    }

    /// <summary>Gets the migrations embedded in this build, in the order they apply.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations => EmbeddedMigrations.Value;

    /// <summary>Gets the version of the newest embedded migration.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Applies every embedded migration the database has not applied yet, in order.</summary>
    /// <param name="cancellationToken">Cancels waiting for the lock or the running migration (which then rolls back).</param>
    /// <returns>The names of the migrations applied by this call; empty when the schema was already current.</returns>
    /// <exception cref="InvalidOperationException">
    /// The database cannot be reached, the server is too old, or a migration that was already applied differs
    /// from the embedded script (its checksum changed).
    /// </exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        EnsureSupportedServer(connection);

        LogWaitingForLock(AdvisoryLockKey);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            // Another silo may hold the lock for as long as its migrations take: wait on the token, not a timeout.
            lockCommand.CommandTimeout = 0;
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await ExecuteAsync(connection, null, CreateHistoryTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);

            var modified = FindModified(applied);
            if (modified.Count > 0)
            {
                foreach (var migration in modified)
                {
                    LogChecksumMismatch(migration.Name, applied[migration.Version], migration.Checksum);
                }

                throw new InvalidOperationException(
                    $"The OrleansSync schema in this database was applied from different scripts than this build embeds: " +
                    $"{string.Join(", ", modified.Select(m => m.Name))} changed after being applied (checksum mismatch in {HistoryTable}). " +
                    "An applied migration must never be edited; add a new numbered migration instead.");
            }

            WarnIfDatabaseIsNewer(applied);

            var appliedNow = new List<string>();
            foreach (var migration in Migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                appliedNow.Add(migration.Name);
            }

            if (appliedNow.Count == 0)
            {
                LogUpToDate(LatestVersion);
            }

            return appliedNow;
        }
        finally
        {
            await ReleaseLockAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Reports which migrations the database has applied, without changing anything.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The schema state.</returns>
    /// <exception cref="InvalidOperationException">The database cannot be reached.</exception>
    public async Task<SchemaState> GetStateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        var applied = await HistoryTableExistsAsync(connection, cancellationToken).ConfigureAwait(false)
            ? await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false)
            : new Dictionary<int, string>();

        return new SchemaState(
            AppliedVersion: applied.Count == 0 ? 0 : applied.Keys.Max(),
            LatestVersion: LatestVersion,
            PendingMigrations: Migrations.Where(m => !applied.ContainsKey(m.Version)).Select(m => m.Name).ToArray(),
            ModifiedMigrations: FindModified(applied).Select(m => m.Name).ToArray());
    }

    private static string CreateHistoryTableSql => $"""
        CREATE TABLE IF NOT EXISTS {HistoryTable}
        (
            id         integer     NOT NULL,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT {HistoryTable}_pkey PRIMARY KEY (id)
        )
        """;

    private async Task ApplyAsync(NpgsqlConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        LogApplying(migration.Name, migration.Checksum);
        var stopwatch = Stopwatch.StartNew();

        // The script and its history row commit together: a failed script leaves no trace and is retried next time.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);

        await using (var record = new NpgsqlCommand(
            $"INSERT INTO {HistoryTable} (id, name, checksum) VALUES (@id, @name, @checksum)", connection, transaction))
        {
            record.Parameters.AddWithValue("id", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogApplied(migration.Name, stopwatch.ElapsedMilliseconds);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Not fatal: the lock is a session lock and dies with the connection, which is being disposed
            // (and a pooled connection is reset with DISCARD ALL, which releases advisory locks too).
            LogUnlockFailed(ex);
        }
    }

    private void WarnIfDatabaseIsNewer(Dictionary<int, string> applied)
    {
        // A newer build already migrated this database (e.g. during a rolling upgrade). Its migrations are meant
        // to stay compatible with older silos, so this is reported rather than refused.
        var unknown = applied.Keys.Where(version => version > LatestVersion).ToArray();
        if (unknown.Length > 0)
        {
            LogDatabaseIsNewer(unknown.Max(), LatestVersion);
        }
    }

    private static List<SchemaMigration> FindModified(Dictionary<int, string> applied) =>
        Migrations
            .Where(m => applied.TryGetValue(m.Version, out var checksum)
                        && !string.Equals(checksum, m.Checksum, StringComparison.OrdinalIgnoreCase))
            .ToList();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var builder = new NpgsqlConnectionStringBuilder(_connectionString);
            throw new InvalidOperationException(
                $"Cannot open the OrleansSync PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}: {ex.Message}", ex);
        }
    }

    private static void EnsureSupportedServer(NpgsqlConnection connection)
    {
        if (connection.PostgreSqlVersion.Major < MinimumServerMajorVersion)
        {
            throw new InvalidOperationException(
                $"The OrleansSync schema needs PostgreSQL {MinimumServerMajorVersion} or newer; the server is {connection.ServerVersion}.");
        }
    }

    private static async Task<bool> HistoryTableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // to_regclass resolves the name through search_path exactly as the unqualified names in the scripts do.
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", HistoryTable);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<Dictionary<int, string>> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Version -> recorded checksum.
        await using var command = new NpgsqlCommand($"SELECT id, checksum FROM {HistoryTable} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // The text is one of this assembly's embedded migration scripts or a constant, never input.
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<SchemaMigration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(PostgresSchemaMigrator).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var marker = resource.IndexOf(ResourceMarker, StringComparison.Ordinal);
            if (marker < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[(marker + ResourceMarker.Length)..];
            var match = MigrationFileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded migration '{fileName}' is not named NNNN_name.sql (four digits, lower-case name).");
            }

            migrations.Add(SchemaMigration.Create(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                Path.GetFileNameWithoutExtension(fileName),
                ReadResource(assembly, resource)));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));

        // Gaps or duplicates would make "applied up to N" ambiguous; this is a build mistake, so fail loudly.
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Embedded migrations must be numbered 1, 2, 3... without gaps or duplicates; found {migrations[i].Name} at position {i + 1}.");
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No PostgreSQL migrations are embedded in the silo assembly.");
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' could not be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationFileName();
}
