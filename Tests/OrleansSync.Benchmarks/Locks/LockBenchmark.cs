using System.Diagnostics;
using System.Globalization;

namespace OrleansSync.Benchmarks.Locks;

/// <summary>
/// <c>OrleansSync.Benchmarks locks [--seconds 10] [--scenarios one,distinct,shared] [--gateway host:port] [--pg-gateway host:port] [--redis host:port] [--pg connection-string]</c>:
/// acquire+release cycles per second and p50/p99 latency for 1 client and for 32 clients on distinct names, and
/// 32 clients contending on one name (acquisitions per second, hand-off p50, Jain fairness), for OrleansSync
/// (embedded silo at <c>--gateway</c>, PostgreSQL-profile silo at <c>--pg-gateway</c>) beside DistributedLock.Redis, DistributedLock.Postgres
/// and a PostgreSQL lease-row lock, in the same run. Prints a Markdown table. Not a timed test.
/// <c>--scenarios</c> picks a subset (for example <c>distinct</c> with a long <c>--seconds</c> while a profiler is attached).
/// </summary>
internal static class LockBenchmark
{
    private const int Clients = 32;

    public static int Run(string[] args)
    {
        var options = Parse(args);
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture);
        return RunAsync(options, TimeSpan.FromSeconds(seconds)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Dictionary<string, string> options, TimeSpan duration)
    {
        var scenarios = options.GetValueOrDefault("scenarios", "one,distinct,shared").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var backends = new List<Func<Task<ILockBackend>>>();
        if (options.TryGetValue("gateway", out var gateway))
        {
            backends.Add(async () => await OrleansSyncLockBackend.ConnectAsync("OrleansSync (embedded)", gateway).ConfigureAwait(false));
        }

        if (options.TryGetValue("pg-gateway", out var pgGateway))
        {
            backends.Add(async () => await OrleansSyncLockBackend.ConnectAsync("OrleansSync (PostgreSQL)", pgGateway).ConfigureAwait(false));
        }

        if (options.TryGetValue("redis", out var redis))
        {
            backends.Add(async () => await DistributedLockRedisBackend.ConnectAsync(redis).ConfigureAwait(false));
        }

        if (options.TryGetValue("pg", out var pg))
        {
            backends.Add(() => Task.FromResult<ILockBackend>(new DistributedLockPostgresBackend(pg)));
            backends.Add(async () => await LeaseRowLockBackend.CreateAsync(pg).ConfigureAwait(false));
        }

        if (backends.Count == 0)
        {
            await Console.Error.WriteLineAsync("usage: locks [--seconds 10] [--gateway 127.0.0.1:30000] [--pg-gateway host:port] [--redis 127.0.0.1:6379] [--pg <npgsql connection string>]").ConfigureAwait(false);
            return 2;
        }

        var results = new List<LockScenarioResult>();
        var failures = 0;
        foreach (var create in backends)
        {
            await using var backend = await create().ConfigureAwait(false);
            try
            {
                await RunScenarioAsync(backend, "warm-up", 4, distinctNames: true, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                if (scenarios.Contains("one"))
                {
                    results.Add(await RunScenarioAsync(backend, "1 client", 1, distinctNames: true, duration).ConfigureAwait(false));
                }

                if (scenarios.Contains("distinct"))
                {
                    results.Add(await RunScenarioAsync(backend, "32 clients, distinct names", Clients, distinctNames: true, duration).ConfigureAwait(false));
                }

                if (scenarios.Contains("shared"))
                {
                    results.Add(await RunScenarioAsync(backend, "32 clients, one name", Clients, distinctNames: false, duration).ConfigureAwait(false));
                }
                await Console.Error.WriteLineAsync($"done: {backend.Name}").ConfigureAwait(false);
            }
#pragma warning disable CA1031 // one failing backend must not lose the others' results
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                await Console.Error.WriteLineAsync($"failed: {backend.Name}: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        Console.WriteLine($"| backend | scenario | cycles/s | p50 ms | p99 ms | hand-off p50 ms | Jain fairness |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Backend} | {r.Scenario} | {r.PerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {(r.HandOffP50Ms is { } h ? h.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {(r.Fairness is { } f ? f.ToString("0.000", CultureInfo.InvariantCulture) : "")} |"));
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Each client loops acquire → release for <paramref name="duration"/>. Latency is one acquire+release cycle.
    /// With one shared name, hand-off is the time from a holder starting its release to the next holder's acquire returning.
    /// </summary>
    private static async Task<LockScenarioResult> RunScenarioAsync(ILockBackend backend, string scenario, int clients, bool distinctNames, TimeSpan duration)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>[clients];
        var handOffs = new List<double>();
        var counts = new long[clients];
        long releaseStartedAt = 0;

        async Task Client(int id)
        {
            var mine = new List<double>(1024);
            latencies[id] = mine;
            var name = distinctNames ? $"bench/{run}/{id}" : $"bench/{run}/shared";
            while (clock.Elapsed < duration)
            {
                var start = clock.ElapsedTicks;
                var handle = await backend.AcquireAsync(name, CancellationToken.None).ConfigureAwait(false);
                if (!distinctNames)
                {
                    var released = Interlocked.Read(ref releaseStartedAt);
                    if (released != 0)
                    {
                        lock (handOffs)
                        {
                            handOffs.Add(Ms(clock.ElapsedTicks - released));
                        }
                    }

                    Interlocked.Exchange(ref releaseStartedAt, clock.ElapsedTicks);
                }

                await handle.DisposeAsync().ConfigureAwait(false);
                mine.Add(Ms(clock.ElapsedTicks - start));
                counts[id]++;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(id => Task.Run(() => Client(id)))).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double? fairness = null;
        double? handOff = null;
        if (!distinctNames && clients > 1)
        {
            double sum = counts.Sum(), squares = counts.Sum(c => (double)c * c);
            fairness = squares == 0 ? null : sum * sum / (clients * squares);
            handOff = handOffs.Count == 0 ? null : Percentile([.. handOffs.Order()], 0.5);
        }

        return new LockScenarioResult(backend.Name, scenario, all.Length, elapsed, Percentile(all, 0.5), Percentile(all, 0.99), handOff, fairness);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }
}
