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
/// (<c>--etcd</c>) in the same run; prints writes/s, p50/p99 and the ratio to etcd. With <c>--rounds N</c> every backend
/// is measured N times, alternating, and a summary gives each one's median and its ratio to etcd round by round.
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

    /// <summary>Unmeasured load before each row of the second and later rounds (<c>--rounds</c>): the JIT is warm by then.</summary>
    private const int DefaultRoundWarmupSeconds = 10;

    public static int Run(string[] args)
    {
        var options = Parse(args);
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture);
        var clients = int.Parse(options.GetValueOrDefault("clients", DefaultClients.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var warmup = double.Parse(options.GetValueOrDefault("warmup", DefaultWarmupSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "1"), CultureInfo.InvariantCulture);
        var roundWarmup = double.Parse(options.GetValueOrDefault("round-warmup", DefaultRoundWarmupSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        if (rounds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(args), rounds, "--rounds must be at least 1.");
        }

        return RunAsync(options, clients, rounds, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(roundWarmup)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Dictionary<string, string> options, int clients, int rounds, TimeSpan duration, TimeSpan warmup, TimeSpan roundWarmup)
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
            await Console.Error.WriteLineAsync("usage: replicas [--seconds 10] [--warmup 45] [--rounds 1] [--round-warmup 10] [--clients 32] [--gateway 127.0.0.1:30000] [--pg <npgsql connection string of the cluster>] [--etcd http://127.0.0.1:2379] [--writes one,majority,all]").ConfigureAwait(false);
            return 2;
        }

        // --writes one,majority,all (default): the write consistencies measured, in that order.
        var writes = options.GetValueOrDefault("writes", "one,majority,all").Split(',')
            .Select(w => Enum.Parse<WriteConsistency>(w, ignoreCase: true)).ToArray();
        var backends = new List<IPutBackend>();
        var hosts = new List<IHost>();
        try
        {
            if (options.TryGetValue("etcd", out var etcd))
            {
                backends.Add(new EtcdPutBackend(etcd));
            }

            foreach (var (name, profileGateway, connectionString) in profiles)
            {
                var host = await BenchmarkClientHost.ConnectAsync(profileGateway, connectionString).ConfigureAwait(false);
                hosts.Add(host);
                var group = $"bench/{Guid.NewGuid():N}";
                var status = await host.Services.GetRequiredService<IReplicaService>().ConfigureAsync(group, replicas: 3).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"{name}: group {group}, copies on {string.Join(", ", status.Copies.Select(c => c.Silo))}").ConfigureAwait(false);
                backends.AddRange(writes.Select(write => new ReplicaPutBackend($"OrleansSync {name}, W={write.ToString().ToLowerInvariant()}", host, group, write)));
            }

            // Rounds alternate the order of the backends, so that a drift in the machine's load over the run (other
            // processes, PostgreSQL's background writer, the JIT) does not always fall on the same backend.
            var results = new List<PutScenarioResult[]>();
            for (var round = 0; round < rounds; round++)
            {
                var order = round % 2 == 0 ? backends : Enumerable.Reverse(backends).ToList();
                var measured = new Dictionary<IPutBackend, PutScenarioResult>();
                foreach (var backend in order)
                {
                    measured[backend] = await MeasureAsync(backend, clients, duration, round == 0 ? warmup : roundWarmup).ConfigureAwait(false);
                }

                results.Add([.. backends.Select(b => measured[b])]);
            }

            ReplicaBenchmarkReport.Print(results, clients, duration, warmup, roundWarmup, ValueBytes, KeysPerClient);
            return 0;
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var host in hosts)
            {
                await host.StopAsync().ConfigureAwait(false);
                host.Dispose();
            }
        }
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
