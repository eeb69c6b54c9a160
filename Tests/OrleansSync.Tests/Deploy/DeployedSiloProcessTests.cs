using System.Net;
using OrleansSync.Silo.Hosting;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// The real Silo executable as the container image and the manifests use it: the probe paths, the image's
/// health check command, and Kubernetes mode started outside a cluster.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DeployedSiloProcessTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Probe_paths_of_the_manifests_answer_200_on_a_running_silo()
    {
        var paths = await ManifestContractTests.ProbePathsAsync();
        await using var silo = SiloProcess.Start();
        await silo.WaitHealthyAsync(StartDeadline);

        foreach (var path in paths)
        {
            using var response = await silo.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Healthcheck_command_exits_0_for_a_healthy_silo_and_1_with_one_line_for_a_closed_port()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitHealthyAsync(StartDeadline);

        // As in the image: no URL given, the wildcard address from ASPNETCORE_URLS is asked through loopback.
        var healthy = await SiloProcess.RunCommandAsync(
            [HealthCheckCommand.Name], ExitDeadline, new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://+:{silo.HttpPort}" });
        Assert.True(healthy.ExitCode == 0, healthy.Output);

        var closedPort = FreePorts.Next();
        var closed = await SiloProcess.RunCommandAsync(
            [HealthCheckCommand.Name, $"http://127.0.0.1:{closedPort}"], ExitDeadline, new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = null });
        Assert.Equal(1, closed.ExitCode);
        Assert.Contains($"127.0.0.1:{closedPort}/healthz did not answer", Assert.Single(NonEmptyLines(closed.Output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_mode_outside_a_cluster_exits_with_one_line_naming_what_is_missing()
    {
        var closedPort = FreePorts.Next();
        await using var silo = SiloProcess.Start(
            settings: new Dictionary<string, string>
            {
                ["Hosting"] = "Kubernetes",
                ["Storage"] = "Postgres",
                ["ConnectionString"] = $"Host=127.0.0.1;Port={closedPort};Username=nobody;Password=unused;Database=orleanssync",
            },
            environment: new Dictionary<string, string?> { ["POD_NAME"] = null, ["POD_NAMESPACE"] = null, ["POD_IP"] = null });

        var exitCode = await silo.WaitForExitAsync(ExitDeadline);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(NonEmptyLines(silo.Output));
        Assert.Contains("not a Kubernetes pod", line, StringComparison.Ordinal);
        Assert.Contains("missing POD_NAME, POD_NAMESPACE, POD_IP", line, StringComparison.Ordinal);
        Assert.Contains("OrleansSync__Hosting", line, StringComparison.Ordinal);
    }

    private static string[] NonEmptyLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
