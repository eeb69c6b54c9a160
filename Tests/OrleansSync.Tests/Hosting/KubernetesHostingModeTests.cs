using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Hosting;

/// <summary><c>OrleansSync:Hosting=Kubernetes</c>: the option, its checks, and what it needs from the pod.</summary>
public sealed class KubernetesHostingModeTests
{
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["POD_NAME"] = "orleanssync-silo-5d8f7-abcde",
        ["POD_NAMESPACE"] = "orleanssync",
        ["POD_IP"] = "10.1.2.3",
    };

    [Fact]
    public void Hosting_defaults_to_None_and_binds_Kubernetes_case_insensitively()
    {
        Assert.Equal(HostingMode.None, OrleansSyncOptionsReader.Read(Configuration()).Hosting);
        Assert.Equal(HostingMode.Kubernetes, Postgres(("OrleansSync:Hosting", "kubernetes")).Hosting);
    }

    [Theory]
    [InlineData("OrleansSync:Hosting", "Kubernetes", "Storage")]
    [InlineData("OrleansSync:Hosting", "Swarm", "Hosting")]
    public void Bad_hosting_settings_fail_naming_the_key(string key, string value, string named)
    {
        var failure = Assert.Throws<StartupFailure>(() => OrleansSyncOptionsReader.Read(Configuration((key, value))));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_hosting_rejects_an_advertised_address_because_the_pod_IP_is_advertised()
    {
        var failure = Assert.Throws<StartupFailure>(() => Postgres(("OrleansSync:Hosting", "Kubernetes"), ("OrleansSync:AdvertisedAddress", "10.0.0.1")));
        Assert.Contains("AdvertisedAddress", failure.Message, StringComparison.Ordinal);
        Assert.Contains("POD_IP", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_environment_gives_the_name_namespace_and_address()
    {
        var pod = KubernetesPodEnvironment.Read(KubernetesOptions(), Pod.GetValueOrDefault, apiReachable: true);

        Assert.Equal("orleanssync-silo-5d8f7-abcde", pod.PodName);
        Assert.Equal("orleanssync", pod.PodNamespace);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), pod.PodIP);
    }

    [Fact]
    public void Outside_a_pod_one_message_names_everything_missing()
    {
        var failure = Assert.Throws<StartupFailure>(() =>
            KubernetesPodEnvironment.Read(KubernetesOptions(), new Dictionary<string, string> { ["POD_NAME"] = "x" }.GetValueOrDefault, apiReachable: false));

        Assert.DoesNotContain('\n', failure.Message);
        Assert.Contains("missing POD_NAMESPACE, POD_IP, in-cluster API access", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("POD_NAME,", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POD_IP", "not-an-ip", "POD_IP")]
    [InlineData("ORLEANS_CLUSTER_ID", "other-cluster", "ClusterId")]
    [InlineData("ORLEANS_SERVICE_ID", "other-service", "ServiceId")]
    public void Pod_values_that_contradict_the_silo_fail_naming_them(string variable, string value, string named)
    {
        var environment = new Dictionary<string, string>(Pod) { [variable] = value };

        var failure = Assert.Throws<StartupFailure>(() => KubernetesPodEnvironment.Read(KubernetesOptions(), environment.GetValueOrDefault, apiReachable: true));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://+:8080", "http://127.0.0.1:8080")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080")]
    [InlineData("http://0.0.0.0:8080/", "http://127.0.0.1:8080")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    public void Health_check_command_asks_a_wildcard_binding_through_loopback(string listening, string asked) =>
        Assert.Equal(asked, HealthCheckCommand.ReachableUrl(listening));

    private static OrleansSyncOptions KubernetesOptions() => Postgres(("OrleansSync:Hosting", "Kubernetes"));

    private static OrleansSyncOptions Postgres(params (string Key, string Value)[] values) =>
        OrleansSyncOptionsReader.Read(Configuration([("OrleansSync:Storage", "Postgres"), ("OrleansSync:ConnectionString", "Host=db"), .. values]));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
