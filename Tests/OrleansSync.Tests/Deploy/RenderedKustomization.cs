using System.Text.Json;

namespace OrleansSync.Tests.Deploy;

/// <summary>The objects one kustomization renders to (as JSON) and the schema errors found in them.</summary>
public sealed record RenderedKustomization(string Path, IReadOnlyList<JsonElement> Documents, IReadOnlyList<string> Errors)
{
    public const string SiloDeployment = "orleanssync-silo";
    public const string MigrationJob = "orleanssync-migrate";

    public IEnumerable<JsonElement> OfKind(string kind) => Documents.Where(d => d.Str("kind") == kind);

    public JsonElement Single(string kind, string name) =>
        Assert.Single(OfKind(kind), d => d.GetProperty("metadata").Str("name") == name);

    public JsonElement Deployment => Single("Deployment", SiloDeployment);

    public JsonElement Job => Single("Job", MigrationJob);

    /// <summary>The pod template's spec of a Deployment or Job.</summary>
    public static JsonElement PodSpec(JsonElement workload) => workload.GetProperty("spec").GetProperty("template").GetProperty("spec");

    public static JsonElement PodLabels(JsonElement workload) =>
        workload.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");

    public static JsonElement Container(JsonElement workload) => Assert.Single(PodSpec(workload).GetProperty("containers").EnumerateArray());
}

/// <summary>Short reads of optional JSON properties.</summary>
public static class JsonElementExtensions
{
    public static string? Str(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    public static IReadOnlyDictionary<string, string> StringMap(this JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
}
