using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;
using OrleansSync.Silo.Api;
using OrleansSync.Silo.Api.Cluster;
using OrleansSync.Silo.Api.Locks;
using OrleansSync.Silo.Api.Queues;
using OrleansSync.Silo.Api.Replicas;
using OrleansSync.Silo.Api.Rings;
using OrleansSync.Silo.Diagnostics;
using OrleansSync.Silo.Health;
using OrleansSync.Silo.Postgres;
using OrleansSync.Silo.Security;

namespace OrleansSync.Silo.Hosting;

/// <summary>Builds and runs the silo: Generic Host + Orleans + the HTTP API.</summary>
internal static class SiloHost
{
    /// <summary>Default cap on an HTTP request body (8 MiB), per the public contract.</summary>
    public const long MaxRequestBodyBytes = 8L * 1024 * 1024;

    /// <summary>
    /// How long a stopping silo may take to hand off its grains and leave the cluster. Kubernetes'
    /// terminationGracePeriodSeconds must be longer (deploy/kubernetes; a test checks it).
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = OrleansSyncOptionsReader.Read(builder.Configuration);
        SettingsSection.Check<ClusterMembershipOptions>(builder.Configuration, "Membership");
        SettingsSection.Check<OrleansSync.Hashing.ConsistentHashPlacementOptions>(builder.Configuration, "Placement");
        SettingsSection.Check<OrleansSync.Queues.QueueOptions>(builder.Configuration, "Queues");

        var urls = HttpBindingGuard.ParseUrls(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        HttpBindingGuard.Check(urls, options);
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // Outside a pod, fail before waiting for the database: the pod's environment is the first thing missing.
        var pod = options.Hosting == HostingMode.Kubernetes ? KubernetesPodEnvironment.FromProcess(options) : null;
        if (options.Storage == StorageProfile.Postgres)
        {
            using var loggers = LoggerFactory.Create(l => l.AddConsole());
            await PostgresPreflight.EnsureReadyAsync(options, loggers, options.Migrate, CancellationToken.None).ConfigureAwait(false);
        }

        ConfigureServices(builder, options, pod);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        app.MapSiloMetrics();
        app.MapClusterEndpoints();
        app.MapLeaseEndpoints();
        app.MapQueueEndpoints();
        app.MapRingEndpoints();
        app.MapReplicaEndpoints();
        app.MapReplicaCrdtEndpoints();

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static void ConfigureServices(WebApplicationBuilder builder, OrleansSyncOptions options, KubernetesPodEnvironment? pod)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddSingleton<SiloHealth>();
        builder.Services.AddProblemDetails();
        builder.Services.AddSiloMetrics(builder.Configuration);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        // Lets operators and crash tests tune failure detection, e.g. --OrleansSync:Membership:ProbeTimeout=00:00:01.
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection($"{OrleansSyncOptions.SectionName}:Membership"));

        // e.g. --OrleansSync:Placement:MigrateOnMembershipChange=true (off by default).
        builder.Services.Configure<OrleansSync.Hashing.ConsistentHashPlacementOptions>(builder.Configuration.GetSection($"{OrleansSyncOptions.SectionName}:Placement"));
        builder.Services.Configure<OrleansSync.Queues.QueueOptions>(builder.Configuration.GetSection($"{OrleansSyncOptions.SectionName}:Queues")); // e.g. --OrleansSync:Queues:DeliveryFlushDelay=00:00:00.100

        builder.UseOrleans(silo => silo
            .AddOrleansSyncClustering(options, pod)
            .AddOrleansSyncProviders(options));
    }
}
