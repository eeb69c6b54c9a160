using Npgsql;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo.Health;

/// <summary>
/// Answers whether this silo can serve: it is Active in the cluster membership and, in the Postgres
/// profile, the database answers within a short deadline.
/// </summary>
internal sealed class SiloHealth(
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    OrleansSyncOptions options)
{
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return new HealthReport(false, $"silo is {status}");
        }

        if (options.Storage != StorageProfile.Postgres)
        {
            return new HealthReport(true, "silo is Active");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseProbeTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return new HealthReport(true, "silo is Active; database answers");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return new HealthReport(false, "database does not answer");
        }
    }
}
