using System.Collections.Concurrent;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// Where <see cref="PgReminderGrain"/> reports its ticks so that a test can await them. TestCluster silos run in the
/// test process, so a static registry is shared by the grain and the test.
/// </summary>
public static class PgReminderTicks
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string GrainKey, int Tick), TaskCompletionSource> Signals = new();

    /// <summary>Records one tick of the reminder of grain <paramref name="grainKey"/>.</summary>
    /// <param name="grainKey">The grain's key.</param>
    public static void Record(string grainKey)
    {
        var tick = Counts.AddOrUpdate(grainKey, 1, static (_, count) => count + 1);
        Signal(grainKey, tick).TrySetResult();
    }

    /// <summary>Completes once grain <paramref name="grainKey"/> has received <paramref name="count"/> ticks.</summary>
    /// <param name="grainKey">The grain's key.</param>
    /// <param name="count">The tick to await (1 for the first).</param>
    /// <returns>A task that completes at that tick.</returns>
    public static Task WhenTickedAsync(string grainKey, int count) => Signal(grainKey, count).Task;

    // Ticks are numbered 1, 2, 3...: the n-th tick completes exactly the signal for n, whether the test asked first or not.
    private static TaskCompletionSource Signal(string grainKey, int tick) =>
        Signals.GetOrAdd((grainKey, tick), static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
