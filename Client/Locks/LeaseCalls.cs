using Orleans.Runtime;

namespace OrleansSync.Client.Locks;

/// <summary>Retry rules for lease grain calls: only failures after which the same call is safe to repeat.</summary>
internal static class LeaseCalls
{
    private const int Attempts = 5;

    /// <summary>Errors after which the call may or may not have run and the grain may have moved.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is Orleans.Storage.InconsistentStateException or SiloUnavailableException or OrleansMessageRejectionException
            or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException or ClientNotAvailableException;

    /// <summary>Runs <paramref name="call"/>, retrying transient failures with short back-off (5 attempts).</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
