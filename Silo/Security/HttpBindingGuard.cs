using System.Net;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo.Security;

/// <summary>
/// Secure by default: the HTTP API may listen beyond loopback only when API keys are configured.
/// </summary>
internal static class HttpBindingGuard
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Splits an ASP.NET Core <c>urls</c> value (separated by ';') into its addresses.</summary>
    public static IReadOnlyList<string> ParseUrls(string? urls) =>
        string.IsNullOrWhiteSpace(urls)
            ? [DefaultUrl]
            : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws a <see cref="StartupFailure"/> when a non-loopback address has no API key to guard it.</summary>
    public static void Check(IReadOnlyList<string> urls, OrleansSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ApiKeys.Count > 0)
        {
            return;
        }

        var exposed = urls.FirstOrDefault(u => !IsLoopback(u));
        if (exposed is not null)
        {
            throw new StartupFailure(
                $"OrleansSync: refusing to start: HTTP would listen on {exposed}, which is not loopback, and no API keys are configured. " +
                "Set OrleansSync__ApiKeys__0=<secret> or bind to 127.0.0.1.");
        }
    }

    /// <summary>Whether a URL's host is a loopback name or address. Wildcards (<c>*</c>, <c>+</c>, 0.0.0.0) are not.</summary>
    public static bool IsLoopback(string url)
    {
        var host = ExtractHost(url);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static string ExtractHost(string url)
    {
        // Kestrel accepts wildcards such as http://*:80 and http://+:80 that Uri rejects, so parse by hand.
        var rest = url;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = url[(scheme + 3)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? rest[..(close + 1)] : rest;
        }

        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }
}
