using System.Diagnostics;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Awaits a condition with a deadline, re-checking it on a short interval; fails with a description when time runs out.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string description)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (clock.Elapsed < deadline)
            {
                lastError = ex;
            }

            if (clock.Elapsed >= deadline)
            {
                throw new TimeoutException($"Not within {deadline.TotalSeconds:0.#} s: {description}", lastError);
            }

            await Task.Delay(Interval);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string description) =>
        UntilAsync(condition, static ok => ok, deadline, description);
}
