using System.Text.RegularExpressions;
using OrleansSync.Silo.Security;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// <c>dotnet OrleansSync.Silo.dll healthcheck [url]</c>: asks a running silo's <c>/healthz</c> and exits 0 when it
/// answers 200, 1 otherwise (the container image's HEALTHCHECK; the runtime image has no curl). Without a URL it
/// asks the silo's own address from <c>--urls</c> / <c>ASPNETCORE_URLS</c>, through loopback.
/// </summary>
internal static partial class HealthCheckCommand
{
    public const string Name = "healthcheck";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var explicitUrl = args.FirstOrDefault(a => !a.StartsWith('-'));
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(explicitUrl is null ? args : [.. args.Where(a => a != explicitUrl)])
            .Build();
        var target = new Uri(new Uri(explicitUrl ?? ReachableUrl(HttpBindingGuard.ParseUrls(configuration["urls"])[0])), "/healthz");

        using var http = new HttpClient { Timeout = RequestTimeout };
        try
        {
            using var response = await http.GetAsync(target).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await Console.Error.WriteLineAsync($"OrleansSync: {target} answered {(int)response.StatusCode}.").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"OrleansSync: {target} did not answer: {ex.Message}").ConfigureAwait(false);
        }

        return 1;
    }

    /// <summary>A listening URL as a client reaches it: wildcard hosts (<c>+</c>, <c>*</c>, 0.0.0.0, [::]) become 127.0.0.1.</summary>
    public static string ReachableUrl(string listeningUrl)
    {
        ArgumentNullException.ThrowIfNull(listeningUrl);
        var match = ListeningUrl().Match(listeningUrl);
        if (!match.Success)
        {
            return listeningUrl;
        }

        var host = match.Groups["host"].Value;
        var wildcard = host is "+" or "*" or "0.0.0.0" or "[::]";
        return $"{match.Groups["scheme"].Value}://{(wildcard ? "127.0.0.1" : host)}{match.Groups["port"].Value}";
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^:/]+)(?<port>:\d+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListeningUrl();
}
