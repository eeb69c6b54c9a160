using Orleans;
using Orleans.Runtime;
using Orleans.Hosting;
using OrleansSync.Hashing;
using OrleansSync.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the silo-side services OrleansSync grains depend on.</summary>
public static class OrleansSyncGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo-side services of every OrleansSync capability (locks, queues, replication, hashing).
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
        services.AddPlacementDirector<ConsistentHashPlacement, ConsistentHashPlacementDirector>();
        services.AddOptions<ConsistentHashPlacementOptions>();
        services.AddSingleton<ConsistentHashMigrator>();
        services.AddSingleton<IActivationWorkingSetObserver>(sp => sp.GetRequiredService<ConsistentHashMigrator>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ConsistentHashMigrator>());
        return services;
    }
}
