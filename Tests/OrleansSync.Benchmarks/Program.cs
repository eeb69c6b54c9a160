using BenchmarkDotNet.Running;
using OrleansSync.Benchmarks.Hashing;
using OrleansSync.Benchmarks.Locks;
using OrleansSync.Benchmarks.Replication;
using OrleansSync.Benchmarks.Queues;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Entry point. The first argument picks a mode, so later benchmarks (locks, queues) can add their own:
/// <c>hashing-table</c> prints the balance and movement tables for consistent hashing; anything else
/// (or nothing) goes to BenchmarkDotNet's switcher, e.g. <c>--filter *HashLookup* --job short</c>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], int>> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hashing-table"] = HashingTable.Run,
        ["locks"] = LockBenchmark.Run,
        ["crdt-convergence"] = CrdtConvergenceBenchmark.Run,
        ["queues"] = QueueBenchmark.Run,
        ["queues-adonet"] = OrleansSync.Benchmarks.Queues.AdoNet.AdoNetQueueBenchmark.Run,
        ["replicas"] = ReplicaBenchmark.Run,
    };

    private static int Main(string[] args)
    {
        if (args.Length > 0 && Modes.TryGetValue(args[0], out var mode))
        {
            return mode(args[1..]);
        }

        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("usage: OrleansSync.Benchmarks <mode> [options]");
            Console.WriteLine($"  modes: {string.Join(", ", Modes.Keys)}");
            Console.WriteLine("  otherwise the arguments go to BenchmarkDotNet, e.g. --filter *HashLookup* --job short");
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
