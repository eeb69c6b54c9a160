using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansSync.Silo.Postgres.GrainState;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL grain state table shared by the silo's grain storage providers.</summary>
internal static class PostgresGrainStateServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="PostgresGrainStateStore"/> (one group-commit writer) for the silo's service id. Safe to call
    /// once per storage provider: the first registration wins.
    /// </summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="connectionString">Npgsql connection string of a database migrated to 0010 or later.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddOrleansSyncPostgresGrainStateStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.TryAddSingleton(sp => new PostgresGrainStateStore(connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return services;
    }
}
