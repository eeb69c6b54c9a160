// Placeholder with the migrator's signatures; the real schema and migrator replace this file.
using Microsoft.Extensions.Logging;
namespace OrleansSync.Silo.Postgres;
internal sealed record SchemaState(int AppliedVersion, int LatestVersion, bool IsCurrent);
internal sealed class PostgresSchemaMigrator
{
    public PostgresSchemaMigrator(string connectionString, ILogger<PostgresSchemaMigrator> logger) { _ = connectionString; _ = logger; }
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<SchemaState> GetStateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
