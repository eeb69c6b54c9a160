using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// deploy/local-cluster.sh for real: three silos on a fresh PostgreSQL database form one cluster, one is killed
/// and restarted, and all stop. Ports and the state folder are the test's own, so a developer's cluster is untouched.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LocalClusterScriptTests
{
    private const int Silos = 3;
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan MembershipDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Up_status_kill_restart_and_down_drive_three_silos_on_PostgreSQL()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync();
        var state = Directory.CreateTempSubdirectory("orleanssync-local-cluster-");
        var httpBase = ConsecutiveFreePorts();
        var environment = new Dictionary<string, string>
        {
            ["ORLEANSSYNC_LOCAL_PG"] = database.ConnectionString,
            ["ORLEANSSYNC_LOCAL_STATE"] = state.FullName,
            ["ORLEANSSYNC_LOCAL_SILO_DLL"] = RepositoryPaths.SiloAssembly,
            ["ORLEANSSYNC_LOCAL_HTTP_PORT"] = $"{httpBase}",
            ["ORLEANSSYNC_LOCAL_SILO_PORT"] = $"{ConsecutiveFreePorts()}",
            ["ORLEANSSYNC_LOCAL_GATEWAY_PORT"] = $"{ConsecutiveFreePorts()}",
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var passed = false;
        try
        {
            await AssertRunsAsync(environment, "up");
            var status = await AssertRunsAsync(environment, "status");
            Assert.Equal(Silos, status.Split('\n').Count(l => l.EndsWith("/healthz 200", StringComparison.Ordinal)));
            await ActiveSilosAsync(http, httpBase, Silos);

            await AssertRunsAsync(environment, "kill", "1");
            var afterKill = await RunAsync(environment, "status");
            Assert.Equal(1, afterKill.ExitCode);
            Assert.Contains("silo 1  not running", afterKill.Output, StringComparison.Ordinal);

            await AssertRunsAsync(environment, "restart", "1");
            using (var health = await http.GetAsync(new Uri($"http://127.0.0.1:{httpBase + 1}/healthz")))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            await ActiveSilosAsync(http, httpBase, Silos);

            await AssertRunsAsync(environment, "down");
            var afterDown = await RunAsync(environment, "status");
            Assert.Equal(Silos, afterDown.Output.Split('\n').Count(l => l.EndsWith("not running", StringComparison.Ordinal)));
            Assert.Empty(state.GetFiles("*.pid"));
            passed = true;
        }
        finally
        {
            await RunAsync(environment, "down");

            // A failed run keeps the silos' logs for whoever investigates.
            if (passed)
            {
                state.Delete(recursive: true);
            }
        }
    }

    /// <summary>Awaits silo 0's <c>/v1/cluster</c> listing <paramref name="count"/> Active silos (a killed one shows as Dead).</summary>
    private static Task ActiveSilosAsync(HttpClient http, int httpBase, int count) =>
        Eventually.UntilAsync(
            async () =>
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpBase}/v1/cluster")));
                return json.RootElement.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == count;
            },
            MembershipDeadline,
            $"{count} silos Active in /v1/cluster");

    private static async Task<string> AssertRunsAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (exitCode, output) = await RunAsync(environment, args);
        Assert.True(exitCode == 0, $"local-cluster.sh {string.Join(' ', args)} exited with {exitCode} (logs in {environment["ORLEANSSYNC_LOCAL_STATE"]}):\n{output}");
        return output;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "deploy", "local-cluster.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(ScriptDeadline);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The first of <see cref="Silos"/> consecutive loopback ports nobody listens on, below the ephemeral range.</summary>
    private static int ConsecutiveFreePorts()
    {
        while (true)
        {
            var first = Random.Shared.Next(15000, 25000);
            if (Enumerable.Range(first, Silos).All(IsFree))
            {
                return first;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
