using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansSync;
using OrleansSync.Client;
using OrleansSync.Client.Locks;
using OrleansSync.Client.Queues;
using OrleansSync.Client.Hashing;
using OrleansSync.Client.Replication;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OrleansSync client in an application's service collection.</summary>
public static class OrleansSyncClientServiceCollectionExtensions
{
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Adds an Orleans client connected to the OrleansSync cluster, plus the typed OrleansSync services
    /// (<see cref="IQueueService"/>, <see cref="IReplicaService"/>).
    /// The client connects when the host starts, retrying with bounded back-off
    /// (<see cref="OrleansSyncClientOptions.ConnectAttempts"/>); when every attempt fails, host start-up throws
    /// <see cref="OrleansSyncConnectionException"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the options; by default the client connects to the embedded silo on 127.0.0.1:30000.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">The options name no usable gateway.</exception>
    public static IServiceCollection AddOrleansSyncClient(this IServiceCollection services, Action<OrleansSyncClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new OrleansSyncClientOptions();
        configure?.Invoke(options);

        services.AddSingleton(options);
        services.AddSingleton<HashRingService>();
        services.AddSingleton<IHashRingService>(sp => sp.GetRequiredService<HashRingService>());
        services.AddOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });

            if (options.ConnectionString is { } connectionString)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                client.UseStaticClustering(GatewayEndpoints.Parse(options.Gateways));
            }

            client.AddMemoryStreams(ProviderNames.Streams);
            client.UseConnectionRetryFilter<BoundedBackoffConnectionRetryFilter>();
        });

        services.AddOrleansSyncLockServices();
        services.AddOrleansSyncQueueServices();
        services.AddOrleansSyncReplicaServices();
        return services;
    }

    /// <summary>
    /// Adds <see cref="IQueueService"/> on top of an <see cref="IGrainFactory"/> already in <paramref name="services"/>
    /// (<see cref="AddOrleansSyncClient"/> calls it; call it directly inside a silo or with your own Orleans client).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddOrleansSyncQueueServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IQueueService>(sp =>
            new QueueService(
                sp.GetRequiredService<IGrainFactory>(),
                sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
                sp.GetService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClientMessagingOptions>>()));
        return services;
    }

    /// <summary>
    /// Adds <see cref="ILockService"/>, <see cref="ISemaphoreService"/>, <see cref="IReaderWriterLockService"/> and
    /// <see cref="IElectionService"/> on top of an <see cref="IGrainFactory"/> already in <paramref name="services"/>
    /// (<see cref="AddOrleansSyncClient"/> calls it; call it directly inside a silo or with your own Orleans client).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddOrleansSyncLockServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LeaseClient>();
        services.TryAddSingleton<ILockService, LockService>();
        services.TryAddSingleton<ISemaphoreService, SemaphoreService>();
        services.TryAddSingleton<IReaderWriterLockService, ReaderWriterLockService>();
        services.TryAddSingleton<IElectionService, ElectionService>();
        return services;
    }

    /// <summary>
    /// Adds <see cref="IReplicaService"/> on top of an <see cref="IClusterClient"/> already in <paramref name="services"/>
    /// (<see cref="AddOrleansSyncClient"/> calls it; call it directly inside a silo or with your own Orleans client, which
    /// needs the memory stream provider <see cref="ProviderNames.Streams"/> for <see cref="IReplicaService.WatchAsync"/>).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddOrleansSyncReplicaServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IReplicaService>(sp => new ReplicaService(sp.GetRequiredService<IClusterClient>()));
        return services;
    }
}
