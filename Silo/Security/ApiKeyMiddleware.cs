using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo.Security;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;key&gt;</c> on every <c>/v1</c> request when API keys are configured;
/// answers 401 problem details otherwise.
/// </summary>
internal sealed class ApiKeyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[][] _keys;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<OrleansSyncOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _keys = options.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_keys.Length == 0 || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) || IsAuthorized(context.Request))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or invalid API key",
            detail: "Send 'Authorization: Bearer <key>' with one of the silo's configured OrleansSync:ApiKeys.")
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compare fixed-length digests in constant time so neither the key nor its length leaks through timing.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()));
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        return match;
    }
}
