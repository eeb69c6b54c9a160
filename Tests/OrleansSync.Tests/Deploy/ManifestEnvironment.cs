using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// The environment a container of a rendered workload would see, with what only a cluster knows (downward API
/// fields, Secret values) replaced by plausible stand-ins, and the Silo's configuration read from it.
/// </summary>
internal static class ManifestEnvironment
{
    public const string SecretName = "orleanssync-secrets";
    public const string PodIP = "10.1.2.3";

    /// <summary>Stand-ins for the keys of <see cref="SecretName"/> (deploy/README.md says how to create it).</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretValues = new Dictionary<string, string>
    {
        ["connection-string"] = "Host=postgres;Username=orleanssync;Password=stand-in;Database=orleanssync",
        ["api-keys"] = "first-key,second-key",
    };

    /// <summary>Variables every silo reads besides its own OrleansSync__ keys: Orleans Kubernetes hosting's and ASP.NET Core's.</summary>
    public static readonly IReadOnlySet<string> HostVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        "ASPNETCORE_URLS",
    };

    /// <summary>The env of the workload's single container, with every value resolved.</summary>
    public static IReadOnlyDictionary<string, string> Resolve(JsonElement workload)
    {
        var metadata = workload.GetProperty("metadata");
        var labels = RenderedKustomization.PodLabels(workload).StringMap();
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in RenderedKustomization.Container(workload).Items("env"))
        {
            var name = variable.Str("name")!;
            Assert.False(resolved.ContainsKey(name), $"{name} is set twice");
            resolved[name] = variable.Str("value") ?? ResolveFrom(variable.GetProperty("valueFrom"), metadata, labels, name);
        }

        return resolved;
    }

    /// <summary>Reads <see cref="OrleansSyncOptions"/> from the OrleansSync__ variables exactly as the Silo does.</summary>
    public static OrleansSyncOptions ReadOptions(IReadOnlyDictionary<string, string> environment) =>
        OrleansSyncOptionsReader.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith($"{OrleansSyncOptions.SectionName}__", StringComparison.Ordinal))
                .Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .Build());

    /// <summary>The port of a listening URL such as <c>http://+:8080</c>.</summary>
    public static int UrlPort(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return int.Parse(url[(url.LastIndexOf(':') + 1)..].TrimEnd('/'), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ResolveFrom(JsonElement valueFrom, JsonElement metadata, IReadOnlyDictionary<string, string> labels, string name)
    {
        if (valueFrom.TryGetProperty("secretKeyRef", out var secret))
        {
            Assert.Equal(SecretName, secret.Str("name"));
            var key = secret.Str("key")!;
            Assert.True(SecretValues.ContainsKey(key), $"{name} reads key '{key}' of {SecretName}, which deploy/README.md does not document");
            return SecretValues[key];
        }

        var field = valueFrom.GetProperty("fieldRef").Str("fieldPath")!;
        const string labelPrefix = "metadata.labels['";
        if (field.StartsWith(labelPrefix, StringComparison.Ordinal))
        {
            var label = field[labelPrefix.Length..^2];
            Assert.True(labels.ContainsKey(label), $"{name} reads pod label '{label}', which the pod template does not set");
            return labels[label];
        }

        return field switch
        {
            "metadata.name" => $"{metadata.Str("name")}-5d8f7-abcde",
            "metadata.namespace" => metadata.Str("namespace") ?? throw new InvalidOperationException($"{metadata.Str("name")} has no namespace"),
            "status.podIP" => PodIP,
            _ => throw new InvalidOperationException($"{name} reads downward API field '{field}', which this test does not know"),
        };
    }
}
