using System.Text.Json;
using System.Xml.Linq;
using OrleansSync.Silo.Hosting;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile matches the solution: what it copies exists, it restores and publishes the Silo with every
/// project the Silo references, and it runs the Silo's assembly on the ports the Silo and the manifests use.
/// No Docker engine runs here, so this is as far as the image is checked without building it.
/// </summary>
public sealed class DockerfileTests
{
    private const string SiloProject = "Silo/OrleansSync.Silo.csproj";

    private static readonly Dockerfile Image = Dockerfile.Read(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));

    [Fact]
    public void Every_path_it_copies_from_the_build_context_exists()
    {
        var copies = Image.All("COPY").Where(a => !a.Contains("--from", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var words = Dockerfile.Words(copy);
            foreach (var source in words[..^1])
            {
                var path = Path.Combine(RepositoryPaths.Root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {copy}: {source} is not in the repository");
            }
        }
    }

    [Fact]
    public void It_restores_and_publishes_the_Silo_with_every_project_the_Silo_references()
    {
        var copied = Image.All("COPY").SelectMany(c => Dockerfile.Words(c)[..^1]).Select(p => p.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var runs = string.Join('\n', Image.All("RUN"));

        Assert.Contains($"dotnet restore {SiloProject}", runs, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {SiloProject}", runs, StringComparison.Ordinal);
        foreach (var project in ProjectClosure(SiloProject))
        {
            Assert.Contains(project, copied);
            Assert.Contains(Path.GetDirectoryName(project)!, copied);
        }

        // Only the Silo: no test or client project goes into the image.
        Assert.DoesNotContain(copied, p => p.StartsWith("Tests", StringComparison.Ordinal) || p.StartsWith("Client", StringComparison.Ordinal));
    }

    [Fact]
    public void It_runs_the_Silo_assembly_as_a_non_root_user_with_a_health_check()
    {
        var assembly = XDocument.Load(Path.Combine(RepositoryPaths.Root, SiloProject)).Descendants("AssemblyName").Single().Value + ".dll";
        var entryPoint = JsonSerializer.Deserialize<string[]>(Assert.Single(Image.All("ENTRYPOINT")))!;
        var healthCheck = Assert.Single(Image.All("HEALTHCHECK"));

        Assert.Equal(Path.GetFileName(RepositoryPaths.SiloAssembly), assembly);
        Assert.Equal(["dotnet", assembly], entryPoint);
        Assert.Contains($"\"dotnet\", \"{assembly}\", \"{HealthCheckCommand.Name}\"", healthCheck, StringComparison.Ordinal);
        var user = Assert.Single(Image.All("USER"));
        Assert.DoesNotMatch("^(root|0)(:.*)?$", user);
    }

    [Fact]
    public void Stages_use_the_sdk_and_aspnet_images_of_the_target_framework()
    {
        var framework = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = framework["net".Length..];

        Assert.Equal(
            [$"mcr.microsoft.com/dotnet/sdk:{version} AS build", $"mcr.microsoft.com/dotnet/aspnet:{version} AS runtime"],
            Image.All("FROM"));
    }

    [Fact]
    public async Task Exposed_ports_and_the_HTTP_address_match_the_Silo_and_the_manifests()
    {
        var deployment = (await ManifestValidation.RenderAsync(ManifestValidation.Base)).Deployment;
        var manifestEnvironment = ManifestEnvironment.Resolve(deployment);
        var containerPorts = RenderedKustomization.Container(deployment).Items("ports").Select(p => p.GetProperty("containerPort").GetInt32());
        var exposed = Dockerfile.Words(Assert.Single(Image.All("EXPOSE"))).Select(int.Parse).ToHashSet();
        var imageUrls = Assert.Single(Image.All("ENV"), e => e.Contains("ASPNETCORE_URLS=", StringComparison.Ordinal));
        var imageUrl = Dockerfile.Words(imageUrls).Single(w => w.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))["ASPNETCORE_URLS=".Length..];

        var defaults = new OrleansSyncOptions();
        Assert.Equal(new HashSet<int> { ManifestEnvironment.UrlPort(imageUrl), defaults.SiloPort, defaults.GatewayPort }, exposed);
        Assert.Equal(exposed, containerPorts.ToHashSet());
        Assert.Equal(imageUrl, manifestEnvironment["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void The_build_context_leaves_out_build_output()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile.dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, next))!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }

        return found;
    }
}
