using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Deploy;

/// <summary>
/// Runs <c>deploy/validation/validate.mjs</c> once per test run: it renders the kustomize base and the production
/// overlay and validates every object against the Kubernetes schemas (npm package kubernetes-models). The tests
/// read both its verdict and the rendered objects.
/// </summary>
public static class ManifestValidation
{
    public const string Base = "deploy/kubernetes/base";
    public const string Production = "deploy/kubernetes/overlays/production";

    private static readonly TimeSpan NodeDeadline = TimeSpan.FromSeconds(120);
    private static readonly Lazy<Task<IReadOnlyDictionary<string, RenderedKustomization>>> Run = new(RunValidatorAsync);

    public static IEnumerable<object[]> Kustomizations => [[Base], [Production]];

    public static async Task<RenderedKustomization> RenderAsync(string kustomization) => (await Run.Value.ConfigureAwait(false))[kustomization];

    private static async Task<IReadOnlyDictionary<string, RenderedKustomization>> RunValidatorAsync()
    {
        var validation = Path.Combine(RepositoryPaths.Root, "deploy", "validation");
        if (!Directory.Exists(Path.Combine(validation, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException(
                $"{validation}/node_modules is missing: run 'npm ci --prefix deploy/validation' (scripts/test.sh does) before the tests.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "deploy/validation/validate.mjs", Base, Production })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "node is not on PATH: the manifest tests need Node.js 20+ and npm ('apt-get install nodejs npm', then 'npm ci --prefix deploy/validation').", ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(NodeDeadline);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(output))
            {
                throw new InvalidOperationException($"validate.mjs exited with {process.ExitCode} and printed no result: {await stderr.ConfigureAwait(false)}");
            }

            using var json = JsonDocument.Parse(output);
            return json.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => new RenderedKustomization(
                    r.GetProperty("kustomization").GetString()!,
                    [.. r.GetProperty("documents").EnumerateArray().Select(d => d.Clone())],
                    [.. r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]))
                .ToDictionary(r => r.Path);
        }
    }
}
