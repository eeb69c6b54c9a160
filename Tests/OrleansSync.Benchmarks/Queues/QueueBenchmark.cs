using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace OrleansSync.Benchmarks.Queues;

/// <summary>
/// <c>OrleansSync.Benchmarks queues [--seconds 10] [--gateway host:port] [--pg-gateway host:port] [--rabbit host:port]
/// [--size 1024] [--batch 100] [--consumers 4] [--rounds 1]</c>: end-to-end messages per second and publish-to-consume p50/p99
/// latency, 1 producer and 32 producers, for OrleansSync (embedded silo at <c>--gateway</c>, PostgreSQL-profile silo at
/// <c>--pg-gateway</c>) beside RabbitMQ durable and transient, in the same run. Prints a Markdown table. Not a timed test.
/// </summary>
/// <remarks>
/// Each producer loops: build a batch of <c>--batch</c> bodies of <c>--size</c> bytes (the first 8 hold the time of the
/// batch's start), publish it, await every confirm. The consumers (each prefetch 100) take the latency of each message when
/// its handler runs, then acknowledge it. Producers stop after <c>--seconds</c>; the run ends when everything published was
/// consumed. Producers pause while more than <see cref="MaxOutstanding"/> messages are published and not yet consumed,
/// so latency measures the path, not an unbounded backlog.
/// </remarks>
internal static class QueueBenchmark
{
    private const int MaxOutstanding = 20_000;
    private const double SlowMs = 5000;
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(120);

    public static int Run(string[] args)
    {
        var options = Parse(args);
        return RunAsync(options, ParseSettings(options)).GetAwaiter().GetResult();
    }

    /// <summary>Reads <c>--seconds --size --batch --consumers</c> (defaults 10, 1024, 100, 4).</summary>
    internal static Settings ParseSettings(Dictionary<string, string> options) => new(
        TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture)),
        int.Parse(options.GetValueOrDefault("size", "1024"), CultureInfo.InvariantCulture),
        int.Parse(options.GetValueOrDefault("batch", "100"), CultureInfo.InvariantCulture),
        int.Parse(options.GetValueOrDefault("consumers", "4"), CultureInfo.InvariantCulture));

    private static async Task<int> RunAsync(Dictionary<string, string> options, Settings settings)
    {
        var backends = new List<Func<Task<IQueueBackend>>>();
        if (options.TryGetValue("gateway", out var gateway))
        {
            backends.Add(async () => await OrleansSyncQueueBackend.ConnectAsync("OrleansSync (embedded)", gateway).ConfigureAwait(false));
        }

        if (options.TryGetValue("pg-gateway", out var pgGateway))
        {
            backends.Add(async () => await OrleansSyncQueueBackend.ConnectAsync("OrleansSync (PostgreSQL)", pgGateway).ConfigureAwait(false));
        }

        if (options.TryGetValue("rabbit", out var rabbit))
        {
            backends.Add(async () => await RabbitMqQueueBackend.ConnectAsync("RabbitMQ durable", rabbit, durable: true).ConfigureAwait(false));
            backends.Add(async () => await RabbitMqQueueBackend.ConnectAsync("RabbitMQ transient", rabbit, durable: false).ConfigureAwait(false));
        }

        if (backends.Count == 0)
        {
            await Console.Error.WriteLineAsync("usage: queues [--seconds 10] [--gateway 127.0.0.1:30000] [--pg-gateway host:port] [--rabbit 127.0.0.1:5672] [--size 1024] [--batch 100] [--consumers 4] [--rounds 1]").ConfigureAwait(false);
            return 2;
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds", "1"), CultureInfo.InvariantCulture);
        var (results, failures) = await MeasureAsync(backends, rounds, settings).ConfigureAwait(false);
        PrintTable(results, rounds, settings);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Connects each backend in turn (with a 2 s warm-up), then runs <paramref name="rounds"/> rounds of the 1- and
    /// 32-producer scenarios over all of them; answers every round's result per (backend, scenario) and the count of
    /// scenarios that failed (a failure is printed and does not stop the others).
    /// </summary>
    internal static async Task<(Dictionary<(string Backend, string Scenario), List<QueueScenarioResult>> Results, int Failures)> MeasureAsync(
        IReadOnlyList<Func<Task<IQueueBackend>>> backends, int rounds, Settings settings)
    {
        // Rounds go over every backend in turn, so noise from other load on the machine spreads over all of them; each
        // row reports the round with the median rate.
        var connected = new List<IQueueBackend>();
        var results = new Dictionary<(string Backend, string Scenario), List<QueueScenarioResult>>();
        var failures = 0;
        try
        {
            foreach (var create in backends)
            {
                var backend = await create().ConfigureAwait(false);
                connected.Add(backend);
                await RunScenarioAsync(backend, "warm-up", 4, settings with { Duration = TimeSpan.FromSeconds(2) }).ConfigureAwait(false);
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var backend in connected)
                {
                    foreach (var producers in (int[])[1, 32])
                    {
                        var scenario = producers == 1 ? "1 producer" : $"{producers} producers";
                        try
                        {
                            var result = await RunScenarioAsync(backend, scenario, producers, settings).ConfigureAwait(false);
                            var list = results.TryGetValue((backend.Name, scenario), out var existing) ? existing : results[(backend.Name, scenario)] = [];
                            list.Add(result);
                            await Console.Error.WriteLineAsync($"round {round + 1}: {Row(result)}").ConfigureAwait(false);
                        }
#pragma warning disable CA1031 // one failing backend must not lose the others' results
                        catch (Exception ex)
#pragma warning restore CA1031
                        {
                            failures++;
                            await Console.Error.WriteLineAsync($"failed: {backend.Name} {scenario}: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (var backend in connected)
            {
                await backend.DisposeAsync().ConfigureAwait(false);
            }
        }

        return (results, failures);
    }

    /// <summary>Prints the Markdown table of the median round (by msg/s) of each row and answers those medians.</summary>
    internal static IReadOnlyList<QueueScenarioResult> PrintTable(
        Dictionary<(string Backend, string Scenario), List<QueueScenarioResult>> results, int rounds, Settings settings)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Size} B messages, batches of {settings.Batch} per publish/confirm, {settings.Consumers} consumers with prefetch 100, {settings.Duration.TotalSeconds:0} s of publishing per row, median of {rounds} round(s) by msg/s"));
        Console.WriteLine();
        Console.WriteLine("| backend | scenario | msg/s | p50 ms | p99 ms | publish p50 ms | publish p99 ms | messages | msg/s of each round |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        var medians = new List<QueueScenarioResult>();
        foreach (var ((_, _), list) in results)
        {
            var median = list.OrderBy(r => r.PerSecond).ElementAt(list.Count / 2);
            medians.Add(median);
            Console.WriteLine(Row(median) + " " + string.Join(", ", list.Select(r => r.PerSecond.ToString("0", CultureInfo.InvariantCulture))) + " |");
        }

        return medians;
    }

    private static async Task<QueueScenarioResult> RunScenarioAsync(IQueueBackend backend, string scenario, int producers, Settings settings)
    {
        var queue = "bench-" + Guid.NewGuid().ToString("N")[..12];
        var latencies = new double[4_000_000];
        long published = 0, consumed = 0, lastConsumed = 0;
        var clock = Stopwatch.StartNew();

        var slow = new List<(double SentAtS, double LatencyMs)>();
        var startedAt = Stopwatch.GetTimestamp();
        void OnMessage(ReadOnlySpan<byte> body)
        {
            var now = Stopwatch.GetTimestamp();
            var sent = BinaryPrimitives.ReadInt64LittleEndian(body);
            var index = Interlocked.Increment(ref consumed) - 1;
            var latency = (now - sent) * 1000.0 / Stopwatch.Frequency;
            if (index < latencies.Length)
            {
                latencies[index] = latency;
            }

            if (latency > SlowMs)
            {
                lock (slow)
                {
                    slow.Add(((sent - startedAt) / (double)Stopwatch.Frequency, latency));
                }
            }

            Volatile.Write(ref lastConsumed, clock.ElapsedTicks);
        }

        var publishLatencies = new List<double>[producers];
        await using (await backend.StartConsumersAsync(queue, settings.Consumers, OnMessage).ConfigureAwait(false))
        {
            async Task ProduceAsync(int id)
            {
                var mine = new List<double>(4096);
                publishLatencies[id] = mine;
                await using var producer = await backend.CreateProducerAsync(queue).ConfigureAwait(false);
                while (clock.Elapsed < settings.Duration)
                {
                    while (Interlocked.Read(ref published) - Interlocked.Read(ref consumed) > MaxOutstanding)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }

                    var start = Stopwatch.GetTimestamp();
                    var bodies = new byte[settings.Batch][];
                    for (var i = 0; i < bodies.Length; i++)
                    {
                        bodies[i] = new byte[settings.Size];
                        BinaryPrimitives.WriteInt64LittleEndian(bodies[i], start);
                    }

                    Interlocked.Add(ref published, bodies.Length);
                    await producer.PublishAsync(bodies).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, producers).Select(id => Task.Run(() => ProduceAsync(id)))).ConfigureAwait(false);
            var drain = Stopwatch.StartNew();
            while (Interlocked.Read(ref consumed) < Interlocked.Read(ref published))
            {
                if (drain.Elapsed > DrainDeadline)
                {
                    throw new TimeoutException($"{backend.Name} {scenario}: {Interlocked.Read(ref consumed)} of {published} consumed after {DrainDeadline.TotalSeconds:0} s of draining");
                }

                await Task.Delay(10).ConfigureAwait(false);
            }
        }

        if (slow.Count > 0)
        {
            // Where a long tail comes from: one stall (all sent at about the same time) or a steady backlog.
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {backend.Name} {scenario}: {slow.Count} messages over {SlowMs} ms, sent between +{slow.Min(s => s.SentAtS):0.00} s and +{slow.Max(s => s.SentAtS):0.00} s, worst {slow.Max(s => s.LatencyMs):0} ms")).ConfigureAwait(false);
        }

        var count = (int)Math.Min(Interlocked.Read(ref consumed), latencies.Length);
        var sorted = latencies.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        var publishes = publishLatencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        var seconds = Volatile.Read(ref lastConsumed) / (double)Stopwatch.Frequency;
        return new QueueScenarioResult(
            backend.Name, scenario, published, Interlocked.Read(ref consumed), seconds,
            Percentile(sorted, 0.5), Percentile(sorted, 0.99), Percentile(publishes, 0.5), Percentile(publishes, 0.99));
    }

    private static string Row(QueueScenarioResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Backend} | {r.Scenario} | {r.PerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.PublishP50Ms:0.0} | {r.PublishP99Ms:0.0} | {r.Consumed} |");

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    internal static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    /// <summary>How long producers publish per row, the body size, the bodies per publish and the consumer count.</summary>
    internal sealed record Settings(TimeSpan Duration, int Size, int Batch, int Consumers);
}
