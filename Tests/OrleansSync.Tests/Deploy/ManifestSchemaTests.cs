namespace OrleansSync.Tests.Deploy;

/// <summary>The kustomize base and the production overlay render and validate against the Kubernetes schemas.</summary>
public sealed class ManifestSchemaTests
{
    [Theory]
    [MemberData(nameof(ManifestValidation.Kustomizations), MemberType = typeof(ManifestValidation))]
    public async Task Every_rendered_object_validates_against_the_Kubernetes_schemas(string kustomization)
    {
        var rendered = await ManifestValidation.RenderAsync(kustomization);

        Assert.True(rendered.Errors.Count == 0, $"{kustomization}:\n{string.Join('\n', rendered.Errors)}");
        Assert.Equal(
            ["Deployment", "Job", "Namespace", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "Service", "ServiceAccount"],
            rendered.Documents.Select(d => d.Str("kind")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Production_overlay_pins_the_image_and_scales_out()
    {
        var production = await ManifestValidation.RenderAsync(ManifestValidation.Production);

        Assert.Equal(5, production.Deployment.GetProperty("spec").GetProperty("replicas").GetInt32());
        foreach (var workload in new[] { production.Deployment, production.Job })
        {
            var image = RenderedKustomization.Container(workload).Str("image")!;
            Assert.Matches(@"^[a-z0-9.\-]+/orleanssync/silo:\d+\.\d+\.\d+$", image);
        }

        // The patch adds to the base's env instead of replacing it.
        var names = RenderedKustomization.Container(production.Deployment).Items("env").Select(e => e.Str("name")).ToList();
        Assert.Contains("OrleansSync__ConnectionString", names);
        Assert.Contains("OrleansSync__DatabaseConnectTimeout", names);
    }
}
