using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace OrleansSync.Client;

/// <summary>
/// Retries the client's first connection with exponential back-off up to
/// <see cref="OrleansSyncClientOptions.ConnectAttempts"/>, then fails with one clear
/// <see cref="OrleansSyncConnectionException"/> instead of Orleans' transport error.
/// </summary>
internal sealed partial class BoundedBackoffConnectionRetryFilter(
    OrleansSyncClientOptions options,
    ILogger<BoundedBackoffConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private int _failedAttempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempts = Interlocked.Increment(ref _failedAttempts);
        if (cancellationToken.IsCancellationRequested || !IsTransient(exception))
        {
            return false;
        }

        if (attempts >= options.ConnectAttempts)
        {
            throw new OrleansSyncConnectionException(
                $"OrleansSync client: no gateway of cluster '{options.ClusterId}' answered after {attempts} attempt(s) " +
                $"({DescribeTarget()}). Check that the silos are running and that ClusterId/ServiceId match theirs.",
                exception);
        }

        var delay = options.BackoffBefore(attempts + 1);
        LogRetry(logger, attempts, options.ConnectAttempts, delay, exception.Message);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
            or TimeoutException or System.Net.Sockets.SocketException or OrleansException;

    private string DescribeTarget() =>
        options.ConnectionString is null
            ? $"gateways {string.Join(", ", options.Gateways)}"
            : "gateways listed in the PostgreSQL membership table";

    [LoggerMessage(Level = LogLevel.Warning, Message = "OrleansSync client: connection attempt {Attempt} of {MaxAttempts} failed ({Reason}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, int maxAttempts, TimeSpan delay, string reason);
}
