using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansSync.Tests.Locks;

/// <summary>
/// Runs the real Silo (embedded memory profile) as a child process on free ports and waits for
/// <c>GET /healthz</c> = 200. Kept inside the Locks tests; a general helper lives in Infrastructure on main.
/// </summary>
public sealed class LockSiloProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _log = new();
    private Process? _process;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var silo = SiloDirectory();
        int httpPort = FreePort(), siloPort = FreePort(), gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = silo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(silo, "OrleansSync.Silo.dll"), "--urls", $"http://127.0.0.1:{httpPort}",
            $"--OrleansSync:SiloPort={siloPort}", $"--OrleansSync:GatewayPort={gatewayPort}",
            $"--OrleansSync:ClusterId=locks-http-{httpPort}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Log()}");
            }

            try
            {
                using var health = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The silo did not answer /healthz within {StartTimeout}:\n{Log()}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    public string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>&lt;repo&gt;/Silo/bin/&lt;Configuration&gt;/net10.0, found from this test assembly's output folder.</summary>
    private static string SiloDirectory()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansSync.sln")))
            {
                var silo = Path.Combine(dir.FullName, "Silo", "bin", configuration, "net10.0");
                return File.Exists(Path.Combine(silo, "OrleansSync.Silo.dll"))
                    ? silo
                    : throw new FileNotFoundException($"Build the Silo first: {silo}/OrleansSync.Silo.dll is missing.");
            }
        }

        throw new DirectoryNotFoundException($"No OrleansSync.sln above {testOutput.FullName}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
