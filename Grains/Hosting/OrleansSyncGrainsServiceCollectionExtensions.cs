using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Hosting;
using OrleansSync.Hashing;
using OrleansSync.Hosting;
using OrleansSync.Queues;
using OrleansSync.Replication;
using OrleansSync.Replication.MultiPrimary;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the silo-side services OrleansSync grains depend on.</summary>
public static class OrleansSyncGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo-side services of every OrleansSync capability (locks, queues, replication, hashing).
    /// Queues keep their log in memory unless <see cref="AddOrleansSyncPostgresQueueLog"/> was called first; replica copies
    /// keep their data in memory unless <see cref="AddOrleansSyncPostgresReplicaStore"/> was called first.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="services">The silo's service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddOrleansSyncGrains(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(OrleansSyncGrainsMarker)))
        {
            return services;
        }

        services.AddSingleton<OrleansSyncGrainsMarker>();

        // Locks and queues: lease expiry, visibility deadlines and waiter presence read this clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<QueueOptions>();
        services.TryAddSingleton<IQueueLog, MemoryQueueLog>();
        services.AddMultiPrimaryCopies();

        // Replication: copies on distinct silos by the ring's preference list; copy data in memory unless Postgres was chosen.
        services.AddPlacementDirector<ReplicaCopyPlacement, ReplicaCopyPlacementDirector>();
        services.TryAddSingleton<IReplicaStore, MemoryReplicaStore>();
        services.TryAddSingleton<MemoryGroupRecords>();

        // Hashing: ring placement, and optional migration of ring-placed grains after membership changes.
        services.AddPlacementDirector<ConsistentHashPlacement, ConsistentHashPlacementDirector>();
        services.AddOptions<ConsistentHashPlacementOptions>();
        services.AddSingleton<ConsistentHashMigrator>();
        services.AddSingleton<IActivationWorkingSetObserver>(sp => sp.GetRequiredService<ConsistentHashMigrator>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ConsistentHashMigrator>());
        return services;
    }

    /// <summary>
    /// Keeps queue logs, dedupe windows and dead letters in PostgreSQL (tables of migration <c>0005_queues.sql</c>)
    /// instead of memory. Call before <see cref="AddOrleansSyncGrains"/>.
    /// </summary>
    /// <param name="services">The silo's service collection.</param>
    /// <param name="connectionString">Npgsql connection string of the OrleansSync database.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static IServiceCollection AddOrleansSyncPostgresQueueLog(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAll<IQueueLog>();
        services.AddSingleton<IQueueLog>(_ => new PostgresQueueLog(connectionString));
        return services;
    }

    /// <summary>
    /// Keeps the data of replica-group copies in PostgreSQL (tables of migrations <c>0006_replication.sql</c> and
    /// <c>0012_replica_log.sql</c>) instead of
    /// silo memory. Call before <see cref="AddOrleansSyncGrains"/>.
    /// </summary>
    /// <param name="services">The silo's service collection.</param>
    /// <param name="connectionString">Npgsql connection string of the OrleansSync database.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static IServiceCollection AddOrleansSyncPostgresReplicaStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAll<IReplicaStore>();
        services.AddSingleton<IReplicaStore>(provider => new PostgresReplicaStore(connectionString, provider.GetRequiredService<ILogger<PostgresReplicaStore>>()));
        return services;
    }
}
