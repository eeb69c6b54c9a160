using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using OrleansSync.Replication.MultiPrimary;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store of multi-primary replica copies.</summary>
public static class MultiPrimaryPostgresServiceCollectionExtensions
{
    /// <summary>
    /// Keeps multi-primary copies' data in PostgreSQL (table of migration <c>0007_crdt_replicas.sql</c>, one row per
    /// group, copy and key) instead of silo memory. Call before <c>AddOrleansSyncGrains</c>.
    /// </summary>
    /// <param name="services">The silo's service collection.</param>
    /// <param name="connectionString">Npgsql connection string of the OrleansSync database.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static IServiceCollection AddOrleansSyncPostgresCopyStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAll<ICopyStore>();
        services.AddSingleton<ICopyStore>(sp => new PostgresCopyStore(connectionString, sp.GetRequiredService<Serializer>()));
        return services;
    }
}
