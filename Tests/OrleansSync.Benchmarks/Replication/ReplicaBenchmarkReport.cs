using System.Globalization;

namespace OrleansSync.Benchmarks.Replication;

/// <summary>
/// Prints the <c>replicas</c> mode's results: one table per round, each ratio against etcd's rate in the same round,
/// and with more than one round a summary of medians.
/// </summary>
internal static class ReplicaBenchmarkReport
{
    /// <param name="rounds">Per round, one result per backend, in the same backend order every round.</param>
    public static void Print(IReadOnlyList<PutScenarioResult[]> rounds, int clients, TimeSpan duration, TimeSpan warmup, TimeSpan roundWarmup, int valueBytes, int keysPerClient)
    {
        var roundNote = rounds.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"; {rounds.Count} rounds, backends in alternating order, {roundWarmup.TotalSeconds:0} s of warm-up per row after the first round")
            : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients} clients, {duration.TotalSeconds:0} s per row after {warmup.TotalSeconds:0} s of warm-up, {valueBytes}-byte values, {keysPerClient} keys per client; replica groups of 3 copies{roundNote}"));
        for (var round = 0; round < rounds.Count; round++)
        {
            Console.WriteLine();
            if (rounds.Count > 1)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Round {round + 1}:"));
                Console.WriteLine();
            }

            var etcdRate = EtcdRate(rounds[round]);
            Console.WriteLine("| backend | writes/s | p50 ms | p99 ms | errors | vs etcd |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in rounds[round])
            {
                var ratio = etcdRate is { } e ? string.Create(CultureInfo.InvariantCulture, $"{r.PutsPerSecond / e:0.00}x") : "–";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Backend} | {r.PutsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} | {ratio} |"));
            }
        }

        if (rounds.Count > 1)
        {
            PrintSummary(rounds);
        }
    }

    private static void PrintSummary(IReadOnlyList<PutScenarioResult[]> rounds)
    {
        Console.WriteLine();
        Console.WriteLine("Summary (ratios are against etcd in the same round):");
        Console.WriteLine();
        Console.WriteLine("| backend | median writes/s | median p99 ms | errors | vs etcd, round by round | median vs etcd | rounds >= 1.0x |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|");
        var etcdRates = rounds.Select(EtcdRate).ToArray();
        for (var b = 0; b < rounds[0].Length; b++)
        {
            var runs = rounds.Select(r => r[b]).ToArray();
            var ratios = etcdRates.All(e => e is not null)
                ? runs.Select((r, i) => r.PutsPerSecond / etcdRates[i]!.Value).ToArray()
                : null;
            var byRound = ratios is null ? "–" : string.Join(", ", ratios.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture) + "x"));
            var median = ratios is null ? "–" : Median(ratios).ToString("0.00", CultureInfo.InvariantCulture) + "x";
            var atLeastEtcd = ratios is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{ratios.Count(x => x >= 1.0)} of {ratios.Length}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {runs[0].Backend} | {Median(runs.Select(r => r.PutsPerSecond).ToArray()):0} | {Median(runs.Select(r => r.P99Ms).ToArray()):0.00} | {runs.Sum(r => r.Errors)} | {byRound} | {median} | {atLeastEtcd} |"));
        }
    }

    private static double? EtcdRate(PutScenarioResult[] round) =>
        round.FirstOrDefault(r => r.Backend == EtcdPutBackend.BackendName) is { PutsPerSecond: > 0 } etcd ? etcd.PutsPerSecond : null;

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
