using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansSync.Silo.Postgres;
using OrleansSync.Silo.Postgres.GrainState;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Turns <see cref="OrleansSyncOptions"/> into Orleans silo configuration. Providers and clustering are
/// separate steps because test clusters bring their own clustering but must use the real providers.
/// </summary>
internal static class OrleansSyncSiloConfiguration
{
    /// <summary>The ADO.NET invariant name under which Npgsql registers itself.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Grain storage, reminders, streams and the OrleansSync grain services for the chosen profile.</summary>
    public static ISiloBuilder AddOrleansSyncProviders(this ISiloBuilder silo, OrleansSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);

        switch (options.Storage)
        {
            case StorageProfile.Postgres:
                AddPostgresGrainStorage(silo, ProviderNames.GrainStorage, options);
                AddPostgresGrainStorage(silo, ProviderNames.PubSubStore, options);
                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = options.ConnectionString;
                });
                silo.Services.AddOrleansSyncPostgresQueueLog(options.ConnectionString!);
                silo.Services.AddOrleansSyncPostgresCopyStore(options.ConnectionString!);
                silo.Services.AddOrleansSyncPostgresReplicaStore(options.ConnectionString!);
                break;
            default:
                AddMemoryGrainStorage(silo, ProviderNames.GrainStorage);
                AddMemoryGrainStorage(silo, ProviderNames.PubSubStore);
                silo.UseInMemoryReminderService();
                break;
        }

        // Memory streams in both profiles. Queues use them only as the push path that wakes consumers; the queue log
        // (memory or PostgreSQL, chosen above) is the source of truth, so a lost stream event delays, never loses.
        // Pulling agents poll their queues every 100 ms by default, which adds up to 100 ms before a push wakes anyone;
        // they poll every 10 ms here. Each poll is a grain call to the queue's grain (often on another silo), so the
        // polls of Orleans' default 8 queues cost an idle 3-silo cluster about a tenth of a core per silo; 2 queues cut
        // that by 4 (the streams carry wake-ups and the change feed, not bulk data).
        silo.AddMemoryStreams(ProviderNames.Streams, s =>
        {
            s.ConfigurePartitioning(2);
            s.ConfigurePullingAgent(o => o.Configure(a => a.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10)));
        });
        silo.AddOrleansSyncGrains();
        return silo;
    }

    /// <summary>
    /// Cluster identity, endpoints and membership for a real (non-test) silo. With
    /// <see cref="HostingMode.Kubernetes"/>, <paramref name="pod"/> (read from this process when null) gives the
    /// advertised address; membership stays in PostgreSQL.
    /// </summary>
    public static ISiloBuilder AddOrleansSyncClustering(this ISiloBuilder silo, OrleansSyncOptions options, KubernetesPodEnvironment? pod = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        switch (options.Storage)
        {
            case StorageProfile.Postgres when options.Hosting == HostingMode.Kubernetes:
                pod ??= KubernetesPodEnvironment.FromProcess(options);

                // Other pods reach this one at its pod IP; inside the pod the silo listens on every interface.
                silo.ConfigureEndpoints(pod.PodIP, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseKubernetesHosting();
                UsePostgresClustering(silo, options);
                break;
            case StorageProfile.Postgres:
                silo.ConfigureEndpoints(options.GetAdvertisedAddress(), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                UsePostgresClustering(silo, options);
                break;
            default:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
        }

        return silo;
    }

    private static void UsePostgresClustering(ISiloBuilder silo, OrleansSyncOptions options) =>
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = options.ConnectionString;
        });

    /// <summary>
    /// The embedded profile's grain storage. States are copied into the storage grain with the Orleans binary serializer
    /// instead of the provider's default JSON: every grain-state write (each lock grant, each queue delivery batch) pays
    /// this serialization, and JSON was about a fifth of the silo's work per lock cycle (docs/benchmarks.md). Nothing
    /// outlives the process in this profile, so the format can change between versions; every state type is
    /// <c>[GenerateSerializer]</c>. The PostgreSQL profile's own storage (<see cref="PostgresGrainStorage"/>) uses the same serializer.
    /// </summary>
    private static void AddMemoryGrainStorage(ISiloBuilder silo, string name)
    {
        silo.AddMemoryGrainStorage(name);
        silo.Services.AddOptions<MemoryGrainStorageOptions>(name)
            .Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
    }

    /// <summary>
    /// Registers <see cref="PostgresGrainStorage"/> as <paramref name="name"/>: OrleansSync's own table with group commit
    /// and the Orleans binary serializer. The ADO.NET provider stays registered under an inner name, behind
    /// <see cref="UnambiguousGrainStorage"/>, only to read state written before migration 0010.
    /// </summary>
    private static void AddPostgresGrainStorage(ISiloBuilder silo, string name, OrleansSyncOptions options)
    {
        var adoNetName = $"{name}.adonet";
        silo.AddAdoNetGrainStorage(adoNetName, storage =>
        {
            storage.Invariant = NpgsqlInvariant;
            storage.ConnectionString = options.ConnectionString;
        });
        silo.Services.AddOrleansSyncPostgresGrainStateStore(options.ConnectionString!);
        silo.Services.AddGrainStorage(name, (services, _) => new PostgresGrainStorage(
            services.GetRequiredService<PostgresGrainStateStore>(),
            new UnambiguousGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(adoNetName)),
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>())));
    }
}
