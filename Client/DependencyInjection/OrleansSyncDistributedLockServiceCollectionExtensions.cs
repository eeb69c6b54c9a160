using Medallion.Threading;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansSync.Client.Locks;
using OrleansSync.Client.Locks.DistributedLock;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OrleansSync as the backend of the DistributedLock (Medallion.Threading) interfaces.</summary>
public static class OrleansSyncDistributedLockServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OrleansSyncDistributedSynchronizationProvider"/> as <see cref="IDistributedLockProvider"/>,
    /// <see cref="IDistributedSemaphoreProvider"/> and <see cref="IDistributedReaderWriterLockProvider"/>, plus the
    /// OrleansSync lock services it needs. Needs an Orleans client (<c>AddOrleansSyncClient</c>) or an
    /// <see cref="IGrainFactory"/> in the container. Replaces earlier registrations of those interfaces.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the owner, lease and renewal used for every acquire; null = defaults.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddOrleansSyncDistributedLock(this IServiceCollection services, Action<LockOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        LockOptions? options = null;
        if (configure is not null)
        {
            options = new LockOptions();
            configure(options);
        }

        services.AddOrleansSyncLockServices();
        services.RemoveAll<OrleansSyncDistributedSynchronizationProvider>();
        services.AddSingleton(sp => new OrleansSyncDistributedSynchronizationProvider(
            sp.GetRequiredService<ILockService>(),
            sp.GetRequiredService<ISemaphoreService>(),
            sp.GetRequiredService<IReaderWriterLockService>(),
            options));
        services.Replace(ServiceDescriptor.Singleton<IDistributedLockProvider>(sp => sp.GetRequiredService<OrleansSyncDistributedSynchronizationProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IDistributedSemaphoreProvider>(sp => sp.GetRequiredService<OrleansSyncDistributedSynchronizationProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IDistributedReaderWriterLockProvider>(sp => sp.GetRequiredService<OrleansSyncDistributedSynchronizationProvider>()));
        return services;
    }
}
