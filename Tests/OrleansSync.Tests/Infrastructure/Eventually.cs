using System.Diagnostics;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Awaits a condition that becomes true asynchronously (a row written by a silo, a cluster settling) with a deadline.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Re-evaluates <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">The condition; exceptions propagate.</param>
    /// <param name="timeout">The deadline.</param>
    /// <param name="because">What was awaited, for the failure message.</param>
    /// <returns>A task that completes when the condition held; it fails with <see cref="TimeoutException"/> otherwise.</returns>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for: {because}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
