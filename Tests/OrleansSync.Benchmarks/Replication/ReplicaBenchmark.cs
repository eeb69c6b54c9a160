using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync.Client.Replication;
using OrleansSync.Replication;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>
/// <c>replicas</c> mode: 32 clients writing 100-byte values to a replica group of 3 copies at W=one/majority/all
/// (embedded silo at <c>--gateway</c>, PostgreSQL-profile cluster found through <c>--pg</c>) beside etcd puts
/// (<c>--etcd</c>) in the same run; prints writes/s, p50/p99 and the ratio to etcd.
/// </summary>
internal static class ReplicaBenchmark
{
    private const int DefaultClients = 32;
    private const int KeysPerClient = 100;
    private const int ValueBytes = 100;

    /// <summary>
    /// Unmeasured load before each row. A freshly started silo spends its first tens of seconds under load recompiling
    /// hot methods (tiered JIT with dynamic PGO): in a 2-core run the JIT took about 45 % of the machine's CPU 11–19 s
    /// after the load began, 10 % at 32–40 s and 2 % at 70–78 s. Every backend, etcd included, gets the same warm-up.
    /// </summary>
    private const int DefaultWarmupSeconds = 45;

    public static int Run(string[] args)
    {
        var options = Parse(args);
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture);
        var clients = int.Parse(options.GetValueOrDefault("clients", DefaultClients.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var warmup = double.Parse(options.GetValueOrDefault("warmup", DefaultWarmupSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return RunAsync(options, clients, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Dictionary<string, string> options, int clients, TimeSpan duration, TimeSpan warmup)
    {
        var profiles = new List<(string Name, string? Gateway, string? ConnectionString)>();
        if (options.TryGetValue("gateway", out var gateway))
        {
            profiles.Add(("embedded", gateway, null));
        }

        if (options.TryGetValue("pg", out var pg))
        {
            profiles.Add(("PostgreSQL", null, pg));
        }

        if (profiles.Count == 0 && !options.ContainsKey("etcd"))
        {
            await Console.Error.WriteLineAsync("usage: replicas [--seconds 10] [--warmup 45] [--clients 32] [--gateway 127.0.0.1:30000] [--pg <npgsql connection string of the cluster>] [--etcd http://127.0.0.1:2379] [--writes one,majority,all]").ConfigureAwait(false);
            return 2;
        }

        // --writes one,majority,all (default): the write consistencies measured, in that order.
        var writes = options.GetValueOrDefault("writes", "one,majority,all").Split(',')
            .Select(w => Enum.Parse<WriteConsistency>(w, ignoreCase: true)).ToArray();
        var results = new List<PutScenarioResult>();
        if (options.TryGetValue("etcd", out var etcd))
        {
            await using var backend = new EtcdPutBackend(etcd);
            results.Add(await MeasureAsync(backend, clients, duration, warmup).ConfigureAwait(false));
        }

        foreach (var (name, profileGateway, connectionString) in profiles)
        {
            var host = await BenchmarkClientHost.ConnectAsync(profileGateway, connectionString).ConfigureAwait(false);
            try
            {
                var group = $"bench/{Guid.NewGuid():N}";
                var status = await host.Services.GetRequiredService<IReplicaService>().ConfigureAsync(group, replicas: 3).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"{name}: group {group}, copies on {string.Join(", ", status.Copies.Select(c => c.Silo))}").ConfigureAwait(false);
                foreach (var write in writes)
                {
                    var backend = new ReplicaPutBackend($"OrleansSync {name}, W={write.ToString().ToLowerInvariant()}", host, group, write);
                    results.Add(await MeasureAsync(backend, clients, duration, warmup).ConfigureAwait(false));
                }
            }
            finally
            {
                await host.StopAsync().ConfigureAwait(false);
                host.Dispose();
            }
        }

        var etcdRate = results.FirstOrDefault(r => r.Backend == "etcd put")?.PutsPerSecond;
        Console.WriteLine($"{clients} clients, {duration.TotalSeconds:0} s per row after {warmup.TotalSeconds:0} s of warm-up, {ValueBytes}-byte values, {KeysPerClient} keys per client; replica groups of 3 copies");
        Console.WriteLine();
        Console.WriteLine("| backend | writes/s | p50 ms | p99 ms | errors | vs etcd |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var ratio = etcdRate is { } e && e > 0 ? string.Create(CultureInfo.InvariantCulture, $"{r.PutsPerSecond / e:0.00}x") : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Backend} | {r.PutsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} | {ratio} |"));
        }

        return 0;
    }

    private static async Task<PutScenarioResult> MeasureAsync(IPutBackend backend, int clients, TimeSpan duration, TimeSpan warmup)
    {
        // Warm-up: connections, activations, JIT.
        await RunClientsAsync(backend, clients, warmup).ConfigureAwait(false);
        var (latencies, errors, elapsed) = await RunClientsAsync(backend, clients, duration).ConfigureAwait(false);
        var sorted = latencies.Order().ToArray();
        await Console.Error.WriteLineAsync($"done: {backend.Name}").ConfigureAwait(false);
        return new PutScenarioResult(backend.Name, sorted.Length, elapsed, Percentile(sorted, 0.5), Percentile(sorted, 0.99), errors);
    }

    private static async Task<(List<double> Latencies, long Errors, double Seconds)> RunClientsAsync(IPutBackend backend, int clients, TimeSpan duration)
    {
        var value = new byte[ValueBytes];
        Random.Shared.NextBytes(value);
        var clock = Stopwatch.StartNew();
        var all = new List<double>[clients];
        long errors = 0;

        async Task Client(int id)
        {
            var mine = new List<double>(4096);
            all[id] = mine;
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"c{id}/k{n % KeysPerClient}");
                var start = clock.ElapsedTicks;
                try
                {
                    await backend.PutAsync(key, value).ConfigureAwait(false);
                    mine.Add((clock.ElapsedTicks - start) * 1000.0 / Stopwatch.Frequency);
                }
#pragma warning disable CA1031 // counted and reported; one failed put must not end the run
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(id => Task.Run(() => Client(id)))).ConfigureAwait(false);
        return ([.. all.SelectMany(l => l)], errors, clock.Elapsed.TotalSeconds);
    }

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
