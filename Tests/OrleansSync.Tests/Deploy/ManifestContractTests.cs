using System.Reflection;
using System.Text.Json;
using Orleans.Hosting.Kubernetes;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Security;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// The rendered manifests agree with the Silo: every variable they set is one it reads and its value passes the
/// Silo's own validation, ports match its settings, probes, Services, RBAC and labels fit together.
/// </summary>
public sealed class ManifestContractTests
{
    /// <summary>Margin between the silo's shutdown timeout and Kubernetes' SIGKILL, for the process to exit and the kubelet to notice.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    private static readonly IReadOnlySet<string> OptionKeys =
        typeof(OrleansSyncOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)
            .Append("Membership") // bound to Orleans' ClusterMembershipOptions by SiloHost
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Every_variable_the_manifests_set_is_one_the_Silo_reads(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        foreach (var workload in new[] { rendered.Deployment, rendered.Job })
        {
            foreach (var name in ManifestEnvironment.Resolve(workload).Keys)
            {
                var parts = name.Split("__");
                var known = parts.Length > 1
                    ? parts[0] == OrleansSyncOptions.SectionName && OptionKeys.Contains(parts[1])
                    : ManifestEnvironment.HostVariables.Contains(name);
                Assert.True(known, $"{kustomization}: {workload.GetProperty("metadata").Str("name")} sets {name}, which the Silo does not read");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Silo_settings_pass_the_Silos_own_start_up_checks(string kustomization)
    {
        var deployment = (await ManifestValidation.RenderAsync(kustomization)).Deployment;
        var environment = ManifestEnvironment.Resolve(deployment);

        var options = ManifestEnvironment.ReadOptions(environment);
        var pod = KubernetesPodEnvironment.Read(options, v => environment.GetValueOrDefault(v), apiReachable: true);
        HttpBindingGuard.Check(HttpBindingGuard.ParseUrls(environment["ASPNETCORE_URLS"]), options);

        Assert.Equal(HostingMode.Kubernetes, options.Hosting);
        Assert.Equal(StorageProfile.Postgres, options.Storage);
        Assert.False(options.Migrate);
        Assert.NotEmpty(options.ApiKeys);
        Assert.Equal(ManifestEnvironment.PodIP, pod.PodIP.ToString());

        // Kubernetes hosting selects the cluster's pods by these labels; the silo's ids must be the labels' values.
        var labels = RenderedKustomization.PodLabels(deployment).StringMap();
        Assert.Equal(options.ClusterId, labels[KubernetesHostingOptions.ClusterIdLabel]);
        Assert.Equal(options.ServiceId, labels[KubernetesHostingOptions.ServiceIdLabel]);
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Migration_job_runs_the_migrate_command_with_the_silos_database(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        var job = ManifestEnvironment.Resolve(rendered.Job);
        var silo = ManifestEnvironment.Resolve(rendered.Deployment);

        Assert.Equal([MigrateCommand.Name], RenderedKustomization.Container(rendered.Job).Items("args").Select(a => a.GetString()));
        Assert.Equal(StorageProfile.Postgres, ManifestEnvironment.ReadOptions(job).Storage);
        Assert.Equal(silo["OrleansSync__ConnectionString"], job["OrleansSync__ConnectionString"]);
        Assert.Equal(RenderedKustomization.Container(rendered.Deployment).Str("image"), RenderedKustomization.Container(rendered.Job).Str("image"));
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Container_ports_are_the_ports_the_Silo_listens_on(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        var environment = ManifestEnvironment.Resolve(rendered.Deployment);
        var options = ManifestEnvironment.ReadOptions(environment);
        var ports = ContainerPorts(rendered.Deployment);

        Assert.Equal(
            new Dictionary<string, int> { ["http"] = ManifestEnvironment.UrlPort(environment["ASPNETCORE_URLS"]), ["silo"] = options.SiloPort, ["gateway"] = options.GatewayPort },
            ports);
        Assert.Equal(new OrleansSyncOptions().SiloPort, options.SiloPort);
        Assert.Equal(new OrleansSyncOptions().GatewayPort, options.GatewayPort);
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Probes_ask_the_health_endpoints_on_the_http_port(string kustomization)
    {
        var container = RenderedKustomization.Container((await ManifestValidation.RenderAsync(kustomization)).Deployment);

        Assert.Equal("/readyz", ProbePath(container, "readinessProbe"));
        Assert.Equal("/healthz", ProbePath(container, "livenessProbe"));
        Assert.Equal("/healthz", ProbePath(container, "startupProbe"));
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Services_and_the_disruption_budget_select_the_silo_pods_by_named_ports(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        var podLabels = RenderedKustomization.PodLabels(rendered.Deployment).StringMap();
        var ports = ContainerPorts(rendered.Deployment);

        AssertSelects(rendered.Deployment.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels"), podLabels);
        AssertSelects(rendered.Single("PodDisruptionBudget", "orleanssync-silo").GetProperty("spec").GetProperty("selector").GetProperty("matchLabels"), podLabels);
        foreach (var service in rendered.OfKind("Service"))
        {
            AssertSelects(service.GetProperty("spec").GetProperty("selector"), podLabels);
            foreach (var port in service.GetProperty("spec").Items("ports"))
            {
                Assert.Contains(port.Str("targetPort")!, ports.Keys);
            }
        }

        var gateway = rendered.Single("Service", "orleanssync-gateway").GetProperty("spec");
        Assert.Equal("None", gateway.Str("clusterIP"));
        Assert.Equal(ports["gateway"], Assert.Single(gateway.Items("ports")).GetProperty("port").GetInt32());
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task The_silos_service_account_may_do_what_Kubernetes_hosting_does_with_pods(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        var podSpec = RenderedKustomization.PodSpec(rendered.Deployment);
        var account = rendered.Single("ServiceAccount", podSpec.Str("serviceAccountName")!);
        var accountNamespace = account.GetProperty("metadata").Str("namespace");

        var binding = Assert.Single(rendered.OfKind("RoleBinding"));
        Assert.Contains(binding.Items("subjects"), s =>
            s.Str("kind") == "ServiceAccount" && s.Str("name") == account.GetProperty("metadata").Str("name") && s.Str("namespace") == accountNamespace);
        var role = rendered.Single("Role", binding.GetProperty("roleRef").Str("name")!);
        var podRule = Assert.Single(role.Items("rules"), r => r.Items("resources").Any(x => x.GetString() == "pods"));
        Assert.Equal(["get", "list", "patch", "watch"], podRule.Items("verbs").Select(v => v.GetString()!).Order(StringComparer.Ordinal));

        // Every namespaced object lands in the namespace the kustomization creates.
        var namespaceName = Assert.Single(rendered.OfKind("Namespace")).GetProperty("metadata").Str("name");
        Assert.All(rendered.Documents.Where(d => d.Str("kind") != "Namespace"), d => Assert.Equal(namespaceName, d.GetProperty("metadata").Str("namespace")));
    }

    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Silos_get_time_to_leave_the_cluster_and_run_non_root_with_bounded_resources(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);
        var grace = RenderedKustomization.PodSpec(rendered.Deployment).GetProperty("terminationGracePeriodSeconds").GetInt32();
        Assert.True(TimeSpan.FromSeconds(grace) >= SiloHost.ShutdownTimeout + ShutdownMargin, $"terminationGracePeriodSeconds {grace} leaves no time after the silo's {SiloHost.ShutdownTimeout.TotalSeconds} s shutdown");

        foreach (var workload in new[] { rendered.Deployment, rendered.Job })
        {
            Assert.True(RenderedKustomization.PodSpec(workload).GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
            var resources = RenderedKustomization.Container(workload).GetProperty("resources");
            Assert.True(resources.GetProperty("requests").TryGetProperty("memory", out _));
            Assert.True(resources.GetProperty("requests").TryGetProperty("cpu", out _));
            Assert.True(resources.GetProperty("limits").TryGetProperty("memory", out _));
        }
    }

    [Fact]
    public async Task Secret_keys_the_manifests_read_are_documented_in_deploy_README()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "README.md"));

        Assert.Contains(ManifestEnvironment.SecretName, readme, StringComparison.Ordinal);
        Assert.All(ManifestEnvironment.SecretValues.Keys, key => Assert.Contains(key, readme, StringComparison.Ordinal));
    }

    /// <summary>The probe paths of the base manifests, for the test that GETs them on a running silo.</summary>
    public static async Task<IReadOnlySet<string>> ProbePathsAsync()
    {
        var container = RenderedKustomization.Container((await ManifestValidation.RenderAsync(ManifestValidation.Base)).Deployment);
        return new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Select(p => ProbePath(container, p)).ToHashSet(StringComparer.Ordinal);
    }

    private static string ProbePath(JsonElement container, string probe)
    {
        var get = container.GetProperty(probe).GetProperty("httpGet");
        Assert.Equal("http", get.Str("port"));
        return get.Str("path")!;
    }

    private static Dictionary<string, int> ContainerPorts(JsonElement workload) =>
        RenderedKustomization.Container(workload).Items("ports").ToDictionary(p => p.Str("name")!, p => p.GetProperty("containerPort").GetInt32(), StringComparer.Ordinal);

    private static void AssertSelects(JsonElement selector, IReadOnlyDictionary<string, string> podLabels)
    {
        var wanted = selector.StringMap();
        Assert.NotEmpty(wanted);
        Assert.All(wanted, l => Assert.Equal(l.Value, podLabels.GetValueOrDefault(l.Key)));
    }
}
