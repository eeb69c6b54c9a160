using System.Text.RegularExpressions;
using OrleansSync.Silo.Security;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// <c>dotnet OrleansSync.Silo.dll healthcheck [url]</c>: asks a running silo's <c>/healthz</c> and exits 0 when it
/// answers 200, 1 otherwise (the container image's HEALTHCHECK; the runtime image has no curl). Without a URL it
/// asks the address in <c>ASPNETCORE_URLS</c> (the image sets it), through loopback.
/// </summary>
internal static partial class HealthCheckCommand
{
    public const string Name = "healthcheck";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var baseUrl = args.Length > 0
            ? args[0]
            : ReachableUrl(HttpBindingGuard.ParseUrls(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"))[0]);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var silo))
        {
            await Console.Error.WriteLineAsync($"OrleansSync: healthcheck needs an http:// URL, not '{baseUrl}'.").ConfigureAwait(false);
            return 1;
        }

        var target = new Uri(silo, "/healthz");
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
