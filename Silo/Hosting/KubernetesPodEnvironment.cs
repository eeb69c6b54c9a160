using System.Net;
using k8s;
using Orleans.Hosting.Kubernetes;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// What Orleans Kubernetes hosting needs from its pod: POD_NAME, POD_NAMESPACE and POD_IP from the downward
/// API, and in-cluster access to the Kubernetes API. Read before Orleans starts so that a silo outside a
/// cluster exits with one line instead of a KubernetesClient stack trace minutes later.
/// </summary>
internal sealed record KubernetesPodEnvironment(string PodName, string PodNamespace, IPAddress PodIP)
{
    /// <summary>Reads the pod's environment of this process; throws <see cref="StartupFailure"/> naming what is missing.</summary>
    public static KubernetesPodEnvironment FromProcess(OrleansSyncOptions options) =>
        Read(options, Environment.GetEnvironmentVariable, KubernetesClientConfiguration.IsInCluster());

    /// <summary>
    /// Reads and checks the pod's environment. <paramref name="apiReachable"/> is KubernetesClient's own
    /// in-cluster test (KUBERNETES_SERVICE_HOST/PORT and the service-account token and CA files).
    /// </summary>
    public static KubernetesPodEnvironment Read(OrleansSyncOptions options, Func<string, string?> getVariable, bool apiReachable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getVariable);
        var name = getVariable(KubernetesHostingOptions.PodNameEnvironmentVariable);
        var @namespace = getVariable(KubernetesHostingOptions.PodNamespaceEnvironmentVariable);
        var ip = getVariable(KubernetesHostingOptions.PodIPEnvironmentVariable);

        var missing = new List<string>();
        AddIfBlank(missing, name, KubernetesHostingOptions.PodNameEnvironmentVariable);
        AddIfBlank(missing, @namespace, KubernetesHostingOptions.PodNamespaceEnvironmentVariable);
        AddIfBlank(missing, ip, KubernetesHostingOptions.PodIPEnvironmentVariable);
        if (!apiReachable)
        {
            missing.Add("in-cluster API access (KUBERNETES_SERVICE_HOST/PORT and a mounted service-account token)");
        }

        if (missing.Count > 0)
        {
            throw new StartupFailure(
                $"OrleansSync: Hosting is Kubernetes but this is not a Kubernetes pod: missing {string.Join(", ", missing)}. " +
                "Run it with the manifests in deploy/kubernetes, or unset OrleansSync__Hosting outside Kubernetes.");
        }

        if (!IPAddress.TryParse(ip, out var podIp))
        {
            throw new StartupFailure($"OrleansSync: {KubernetesHostingOptions.PodIPEnvironmentVariable} '{ip}' is not an IP address: set it from the downward API field status.podIP.");
        }

        // Kubernetes hosting overrides the cluster and service ids from these variables; a silo whose
        // OrleansSync ids disagree would report one cluster and join another.
        RequireSame(getVariable(KubernetesHostingOptions.ClusterIdEnvironmentVariable), KubernetesHostingOptions.ClusterIdEnvironmentVariable, options.ClusterId, "ClusterId");
        RequireSame(getVariable(KubernetesHostingOptions.ServiceIdEnvironmentVariable), KubernetesHostingOptions.ServiceIdEnvironmentVariable, options.ServiceId, "ServiceId");
        return new KubernetesPodEnvironment(name!, @namespace!, podIp);
    }

    private static void AddIfBlank(List<string> missing, string? value, string variable)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            missing.Add(variable);
        }
    }

    private static void RequireSame(string? value, string variable, string configured, string key)
    {
        if (!string.IsNullOrWhiteSpace(value) && !string.Equals(value, configured, StringComparison.Ordinal))
        {
            throw new StartupFailure($"OrleansSync: {variable} is '{value}' but OrleansSync:{key} is '{configured}': set both from the same pod label.");
        }
    }
}
