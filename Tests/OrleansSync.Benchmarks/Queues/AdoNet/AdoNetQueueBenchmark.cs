using System.Globalization;

namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// <c>OrleansSync.Benchmarks queues-adonet --adonet "Host=…;Database=…" --pg-gateway host:port [--adonet-queues 4]
/// [--silo-port 27111] [--gateway-port 27300] [--seconds 10] [--rounds 1] [--size 1024] [--batch 100] [--consumers 4]</c>:
/// the queue transport decision of the PostgreSQL profile, measured in one run. Beside each other, with the scenarios of
/// <see cref="QueueBenchmark"/> (1 and 32 producers, 1 KiB bodies in batches of 100, end-to-end msg/s and
/// publish-to-consume p50/p99): OrleansSync's own queue on a PostgreSQL-profile silo at <c>--pg-gateway</c>, and Orleans
/// streams on Microsoft.Orleans.Streaming.AdoNet in a silo hosted here, on the database of <c>--adonet</c> (the
/// benchmark applies its own SQL there: <c>PostgreSqlStreaming.sql</c>). Prints the table and the ratios. Not a timed test.
/// </summary>
internal static class AdoNetQueueBenchmark
{
    private const string AdoNetName = "Orleans streams (AdoNet, PostgreSQL)";
    private const string OwnName = "OrleansSync (PostgreSQL)";

    public static int Run(string[] args) => RunAsync(QueueBenchmark.Parse(args)).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        if (!options.TryGetValue("adonet", out var connectionString) || !options.TryGetValue("pg-gateway", out var pgGateway))
        {
            await Console.Error.WriteLineAsync("usage: queues-adonet --adonet \"Host=127.0.0.1;Username=…;Password=…;Database=…\" --pg-gateway 127.0.0.1:26301 [--adonet-queues 4] [--silo-port 27111] [--gateway-port 27300] [--seconds 10] [--rounds 1] [--size 1024] [--batch 100] [--consumers 4]").ConfigureAwait(false);
            return 2;
        }

        var settings = QueueBenchmark.ParseSettings(options);
        var rounds = Int(options, "rounds", 1);
        var queues = Int(options, "adonet-queues", 4);
        var siloPort = Int(options, "silo-port", 27111);
        var gatewayPort = Int(options, "gateway-port", 27300);
        var backends = new List<Func<Task<IQueueBackend>>>
        {
            async () => await OrleansSyncQueueBackend.ConnectAsync(OwnName, pgGateway).ConfigureAwait(false),
            async () => await AdoNetStreamQueueBackend.StartAsync(AdoNetName, connectionString, queues, siloPort, gatewayPort).ConfigureAwait(false),
        };

        var (results, failures) = await QueueBenchmark.MeasureAsync(backends, rounds, settings).ConfigureAwait(false);
        var medians = QueueBenchmark.PrintTable(results, rounds, settings);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AdoNet: {queues} provider queues (pulling agents), default pulling period 100 ms, cache 4096; OrleansSync: 4 partitions, prefetch 100"));
        Console.WriteLine();
        Console.WriteLine("| AdoNet streams / OrleansSync queue (same run) | msg/s | p50 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var scenario in medians.Select(m => m.Scenario).Distinct())
        {
            var adoNet = medians.FirstOrDefault(m => m.Backend == AdoNetName && m.Scenario == scenario);
            var own = medians.FirstOrDefault(m => m.Backend == OwnName && m.Scenario == scenario);
            if (adoNet is not null && own is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {scenario} | {adoNet.PerSecond / own.PerSecond:0.00}× | {adoNet.P50Ms / own.P50Ms:0.00}× | {adoNet.P99Ms / own.P99Ms:0.00}× |"));
            }
        }

        return failures == 0 ? 0 : 1;
    }

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
