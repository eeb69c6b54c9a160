using Npgsql;

namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// Applies the benchmark's own PostgreSQL statements for Microsoft.Orleans.Streaming.AdoNet (the embedded
/// <c>PostgreSqlStreaming.sql</c>: the <c>orleansquery</c> registry, the message, dead-letter and eviction tables and the
/// six query keys the provider reads) to the benchmark's database. The script is idempotent.
/// </summary>
internal static class AdoNetStreamSchema
{
    private const string ResourceName = "OrleansSync.Benchmarks.Queues.AdoNet.PostgreSqlStreaming.sql";

    public static async Task ApplyAsync(string connectionString)
    {
        string script;
        var stream = typeof(AdoNetStreamSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using (var reader = new StreamReader(stream))
        {
            script = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(script, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Empties the message and dead-letter tables so a run does not read an earlier run's leftovers.</summary>
    public static async Task TruncateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "TRUNCATE bench_stream_message, bench_stream_dead_letter, bench_stream_eviction", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
