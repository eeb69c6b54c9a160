using System.Diagnostics;
using System.Text;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// A real <c>OrleansSync.Silo</c> process on free loopback ports, for tests about start-up, configuration,
/// multi-process clusters and crashes. Stop sends SIGTERM (graceful); Kill sends SIGKILL (kill -9).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly IReadOnlyList<string> _extraArgs;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    private SiloProcess(
        string name,
        int httpPort,
        int siloPort,
        int gatewayPort,
        IReadOnlyDictionary<string, string> settings,
        IReadOnlyList<string> extraArgs,
        IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _settings = settings;
        _extraArgs = extraArgs;
        _environment = environment;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };

        // A test run started in the background by a non-interactive shell (`scripts/test.sh &`) inherits SIGINT and
        // SIGQUIT ignored, and so would the silo: the runtime installs no Ctrl+C handler for a SIGINT ignored at start.
        // env (coreutils) puts them back to their defaults and execs the silo, which keeps env's process id.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = RepositoryPaths.SiloDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT,QUIT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(RepositoryPaths.SiloAssembly);
        foreach (var arg in BuildArguments())
        {
            start.ArgumentList.Add(arg);
        }

        // The silo reads these too; the test's own environment must not leak into it.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Orleans"] = "Warning";
        foreach (var (variable, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(variable);
            }
            else
            {
                start.Environment[variable] = value;
            }
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>An HTTP client whose base address is this silo's API.</summary>
    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a silo. <paramref name="settings"/> are OrleansSync keys (e.g. <c>Storage</c> → <c>Postgres</c>)
    /// passed as <c>--OrleansSync:Key=value</c>; ports are chosen free unless given. <paramref name="environment"/>
    /// sets variables of the process, or removes them where the value is null.
    /// </summary>
    public static SiloProcess Start(
        IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyList<string>? extraArgs = null,
        string name = "silo",
        int? httpPort = null,
        int? siloPort = null,
        int? gatewayPort = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(RepositoryPaths.SiloAssembly))
        {
            throw new InvalidOperationException($"The Silo is not built at {RepositoryPaths.SiloAssembly}.");
        }

        return new SiloProcess(
            name,
            httpPort ?? FreePorts.Next(),
            siloPort ?? FreePorts.Next(),
            gatewayPort ?? FreePorts.Next(),
            settings ?? new Dictionary<string, string>(),
            extraArgs ?? [],
            environment ?? new Dictionary<string, string?>());
    }

    /// <summary>
    /// Runs the Silo executable as a command (e.g. <c>migrate</c>) to completion and returns its exit code and output.
    /// <paramref name="environment"/> sets variables of the process, or removes them where the value is null.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(
        IReadOnlyList<string> args,
        TimeSpan deadline,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.SiloDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.SiloAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(variable);
            }
            else
            {
                start.Environment[variable] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {deadline.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts a new process with the same name, ports and settings (e.g. after <see cref="Kill"/>).</summary>
    public SiloProcess Restart()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} is still running.");
        }

        return new SiloProcess(Name, HttpPort, SiloPort, GatewayPort, _settings, _extraArgs, _environment);
    }

    /// <summary>Awaits <c>GET /healthz</c> = 200; fails at once with the output if the process exits first.</summary>
    public async Task WaitHealthyAsync(TimeSpan deadline)
    {
        await Eventually.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was healthy:\n{Output}");
                }

                using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                return response.IsSuccessStatusCode;
            },
            deadline,
            $"{Name} answers /healthz with 200. Output so far:\n{Output}").ConfigureAwait(false);
    }

    /// <summary>Awaits the process's exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {deadline.TotalSeconds:0} s. Output:\n{Output}");
        }

        // The parameterless wait also drains the redirected output streams.
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (what Kubernetes sends) or another signal such as INT (Ctrl+C) and awaits a graceful exit.</summary>
    public async Task<int> StopAsync(TimeSpan deadline, string signal = "TERM")
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        return await WaitForExitAsync(deadline).ConfigureAwait(false);
    }

    /// <summary>SIGKILL: the process dies at once, without any shutdown code running.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        _process.Dispose();
        Http.Dispose();
    }

    private IEnumerable<string> BuildArguments()
    {
        if (!_extraArgs.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)))
        {
            yield return "--urls";
            yield return $"http://127.0.0.1:{HttpPort}";
        }

        yield return $"--OrleansSync:SiloPort={SiloPort}";
        yield return $"--OrleansSync:GatewayPort={GatewayPort}";
        foreach (var (key, value) in _settings)
        {
            yield return $"--OrleansSync:{key}={value}";
        }

        foreach (var arg in _extraArgs)
        {
            yield return arg;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
