using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>
/// <c>OrleansSync.Benchmarks crdt-convergence --gateway host:port [--keys 1000,10000] [--runs 5] [--label text]</c>:
/// how long a multi-primary copy that returns having missed K writes takes to hold them all. Per run, a fresh 3-copy
/// group: K register states (100-byte values, as K writes would leave them) are merged into copies 1 and 2 through the
/// replication protocol, so copy 0 has missed them; the clock starts when both hold them and stops when copy 0 reports
/// the same keys and digest. The catch-up is anti-entropy alone (no reads, no further writes), so the time is the wait
/// for the next tick among the copies' timers (the silos' <c>AntiEntropyInterval</c>) plus the transfer. A second
/// group per run measures the transfer alone: after the same injection, copy 0 runs one round at once
/// (<c>SyncNow</c>) and the time of that call is taken. Prints a Markdown table. Not a timed test.
/// </summary>
internal static class CrdtConvergenceBenchmark
{
    private const int Copies = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        if (!options.TryGetValue("gateway", out var gateway))
        {
            Console.Error.WriteLine("usage: crdt-convergence --gateway 127.0.0.1:30000 [--keys 1000,10000] [--runs 5] [--label text]");
            return 2;
        }

        var keys = options.GetValueOrDefault("keys", "1000,10000").Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        return RunAsync(gateway, keys, runs, options.GetValueOrDefault("label", gateway)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string gateway, int[] keyCounts, int runs, string label)
    {
        using var host = await BenchmarkClientHost.ConnectAsync(gateway).ConfigureAwait(false);
        var grains = host.Services.GetRequiredService<IClusterClient>();

        Console.WriteLine("| cluster | missed keys | runs | by timers: min s | median s | max s | SyncNow median ms | keys/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var keys in keyCounts)
        {
            var catchUps = new List<double>();
            var syncs = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var (inject, catchUp) = await MeasureAsync(grains, keys, syncNow: false).ConfigureAwait(false);
                var (_, sync) = await MeasureAsync(grains, keys, syncNow: true).ConfigureAwait(false);
                catchUps.Add(catchUp.TotalSeconds);
                syncs.Add(sync.TotalMilliseconds);
                await Console.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{keys} keys, run {run + 1}: inject {inject.TotalMilliseconds:0} ms, catch-up by timers {catchUp.TotalSeconds:0.000} s, SyncNow {sync.TotalMilliseconds:0} ms")).ConfigureAwait(false);
            }

            catchUps.Sort();
            syncs.Sort();
            var syncMedian = syncs[syncs.Count / 2];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {label} | {keys} | {runs} | {catchUps[0]:0.000} | {catchUps[catchUps.Count / 2]:0.000} | {catchUps[^1]:0.000} | {syncMedian:0} | {keys / (syncMedian / 1000):0} |"));
        }

        await host.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<(TimeSpan Inject, TimeSpan CatchUp)> MeasureAsync(IGrainFactory grains, int keys, bool syncNow)
    {
        var group = "bench-convergence-" + Guid.NewGuid().ToString("N")[..8];
        var copies = Enumerable.Range(0, Copies).Select(i => grains.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, i))).ToArray();
        await Task.WhenAll(copies.Select(c => c.GetStatus(Copies))).ConfigureAwait(false);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var missed = Enumerable.Range(0, keys).ToDictionary(
            n => $"key-{n}",
            n => new ReplicatedValue(new LwwRegister(new HlcTimestamp(now, n, "bench-writer"), new byte[100]), null, null));

        var clock = Stopwatch.StartNew();
        foreach (var batch in missed.Chunk(1000))
        {
            var entries = batch.ToDictionary(e => e.Key, e => e.Value);
            await Task.WhenAll(copies[1].MergeEntries(Copies, entries), copies[2].MergeEntries(Copies, entries)).ConfigureAwait(false);
        }

        var inject = clock.Elapsed;
        clock.Restart();
        var target = await copies[1].GetStatus(Copies).ConfigureAwait(false);
        if (syncNow)
        {
            await copies[0].SyncNow(Copies).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var synced = await copies[0].GetStatus(Copies).ConfigureAwait(false);
            return synced.Keys == target.Keys && synced.Digest == target.Digest
                ? (inject, elapsed)
                : throw new InvalidOperationException($"{group}: copy 0 holds {synced.Keys} of {target.Keys} keys after SyncNow.");
        }

        while (true)
        {
            var status = await copies[0].GetStatus(Copies).ConfigureAwait(false);
            if (status.Keys == target.Keys && status.Digest == target.Digest)
            {
                return (inject, clock.Elapsed);
            }

            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"{group}: copy 0 holds {status.Keys} of {target.Keys} keys after {Deadline}.");
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
