using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using Orleans.Runtime.MembershipService;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Hosting;

/// <summary>
/// What <see cref="OrleansSyncSiloConfiguration.AddOrleansSyncClustering"/> registers in Kubernetes mode, read from a
/// silo host that is built but not started (starting needs a real cluster's API server).
/// </summary>
public sealed class KubernetesClusteringWiringTests
{
    private static readonly KubernetesPodEnvironment Pod = new("orleanssync-silo-5d8f7-abcde", "orleanssync", IPAddress.Parse("10.1.2.3"));

    [Fact]
    public void Kubernetes_mode_adds_the_hosting_agent_and_keeps_PostgreSQL_membership()
    {
        var builder = SiloBuilder(Options(HostingMode.Kubernetes));

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>) && d.ImplementationType == typeof(KubernetesClusterAgent));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IMembershipTable) && d.ImplementationType == typeof(AdoNetClusteringTable));
    }

    [Fact]
    public void Kubernetes_mode_advertises_the_pod_IP_and_listens_on_every_interface()
    {
        using var host = SiloBuilder(Options(HostingMode.Kubernetes)).Build();
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;

        Assert.Equal(Pod.PodIP, endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        Assert.Equal("k8s-cluster", cluster.ClusterId);
    }

    [Fact]
    public void Without_Kubernetes_mode_there_is_no_hosting_agent_and_the_configured_address_is_advertised()
    {
        var builder = SiloBuilder(Options(HostingMode.None));
        using var host = builder.Build();

        Assert.DoesNotContain(builder.Services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
        Assert.Equal(IPAddress.Loopback, host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.AdvertisedIPAddress);
    }

    private static HostApplicationBuilder SiloBuilder(OrleansSyncOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.AddOrleansSyncClustering(options, options.Hosting == HostingMode.Kubernetes ? Pod : null));
        return builder;
    }

    private static OrleansSyncOptions Options(HostingMode hosting) => new()
    {
        Storage = StorageProfile.Postgres,
        ConnectionString = "Host=db;Username=u;Password=p;Database=orleanssync",
        ClusterId = "k8s-cluster",
        Hosting = hosting,
    };
}
