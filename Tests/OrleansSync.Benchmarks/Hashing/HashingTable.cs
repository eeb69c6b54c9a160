using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using OrleansSync.Hashing;

namespace OrleansSync.Benchmarks.Hashing;

/// <summary>
/// The <c>hashing-table</c> mode: balance and movement of ring, modulo, jump, rendezvous, Maglev and bounded-load
/// ring on the same keys, a sweep over virtual node counts (the evidence for the ring's default), and memory per
/// node. Prints Markdown tables. Options: <c>--nodes 10 --keys 1000000 --trials 200</c>.
/// </summary>
internal static class HashingTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int nodes = Option(args, "--nodes", 10);
        int keys = Option(args, "--keys", 1_000_000);
        int trials = Option(args, "--trials", 200);
        var stopwatch = Stopwatch.StartNew();

        Console.WriteLine($"# hashing-table: {nodes} nodes, {keys:N0} keys ({Environment.ProcessorCount} cores, " +
            $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription})");
        Console.WriteLine();
        PrintBalanceAndMovement(nodes, KeySet.Hashes(keys));
        Console.WriteLine();
        PrintVirtualNodeSweep(nodes, trials);
        Console.WriteLine();
        PrintMemoryPerNode();
        Console.WriteLine();
        Console.WriteLine($"(took {stopwatch.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    private static void PrintBalanceAndMovement(int nodeCount, ulong[] hashes)
    {
        string[] ids = KeySet.NodeIds(nodeCount + 1);
        string[] before = ids[..nodeCount];
        string[] grown = ids;                   // adds node-N
        string[] shrunk = ids[..(nodeCount - 1)]; // removes node-(N-1), the only bucket jump hash can remove
        string addedNode = ids[nodeCount];
        string removedNode = ids[nodeCount - 1];

        var algorithms = new (string Name, Func<string[], ulong[], string[]> Assign)[]
        {
            ("modulo (hash % n)", (n, h) => Each(h, hash => n[(int)(hash % (ulong)n.Length)])),
            ("jump (Lamping–Veach)", (n, h) => Each(h, hash => n[JumpConsistentHash.Bucket(hash, n.Length)])),
            ("rendezvous / HRW", (n, h) => { var r = new RendezvousHash(n); return Each(h, hash => n[r.Owner(hash)]); }),
            ("Maglev (M = 65,537)", (n, h) => { var m = new MaglevHash(n); return Each(h, hash => n[m.Owner(hash)]); }),
            ("ring, 160 vnodes", (n, h) => { var r = Ring(n, 160); return Each(h, r.GetOwner); }),
            ($"ring, {ConsistentHashRing<string>.DefaultVirtualNodesPerWeight:N0} vnodes (default)", (n, h) => { var r = Ring(n); return Each(h, r.GetOwner); }),
            ("bounded ring, default vnodes, ε = 0.25", (n, h) => Bounded(n, h, 0.25)),
            ("bounded ring, default vnodes, ε = 0.10", (n, h) => Bounded(n, h, 0.10)),
            ("bounded ring, 160 vnodes, ε = 0.05", (n, h) => Bounded(n, h, 0.05, 160)),
        };

        Console.WriteLine($"## Balance and movement ({nodeCount} nodes, {hashes.Length:N0} keys; add = {addedNode} joins, remove = {removedNode} leaves)");
        Console.WriteLine();
        Console.WriteLine("| algorithm | max/mean | min/mean | std dev | moved on add / ideal | only to new node | moved on remove / ideal | only from removed node |");
        Console.WriteLine("|---|---:|---:|---:|---:|:---:|---:|:---:|");
        foreach (var (name, assign) in algorithms)
        {
            string[] baseline = assign(before, hashes);
            string[] afterAdd = assign(grown, hashes);
            string[] afterRemove = assign(shrunk, hashes);
            var (max, min, stdDev) = Balance(before, baseline);
            var (addRatio, addOnlyNew) = Movement(baseline, afterAdd, hashes.Length / (double)(nodeCount + 1), (_, now) => now == addedNode);
            var (removeRatio, removeOnlyOld) = Movement(baseline, afterRemove, hashes.Length / (double)nodeCount, (was, _) => was == removedNode);
            Console.WriteLine(string.Create(Invariant,
                $"| {name} | {max:F3} | {min:F3} | {stdDev:F2} % | {addRatio:F3} | {YesNo(addOnlyNew)} | {removeRatio:F3} | {YesNo(removeOnlyOld)} |"));
        }

        Console.WriteLine();
        Console.WriteLine("ideal = keys / (n+1) on add, keys / n on remove. Bounded rows assign the keys in order through a BoundedLoadAssigner.");
    }

    // For random node ids, the distribution of max/mean share and of the share an added node takes, by virtual
    // node count. Uses exact arc shares (GetShare), i.e. the balance an unlimited number of keys would see.
    private static void PrintVirtualNodeSweep(int nodeCount, int trials)
    {
        Console.WriteLine($"## Virtual node sweep ({nodeCount} nodes, {trials} random id sets of the form 10.x.y.z:11111, exact arc shares)");
        Console.WriteLine();
        Console.WriteLine("| vnodes | max/mean median | p95 | p99 | sets with max/mean ≤ 1.10 | add moves / ideal median | p95 | p99 | sets with add ≤ 1.15 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int virtualNodes in new[] { 100, 160, 256, 500, 1000, 2000 })
        {
            var random = new Random(42);
            var maxOverMean = new double[trials];
            var addOverIdeal = new double[trials];
            for (int trial = 0; trial < trials; trial++)
            {
                string[] ids = Enumerable.Range(0, nodeCount + 1)
                    .Select(_ => string.Create(Invariant, $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}:11111"))
                    .ToArray();
                var ring = Ring(ids[..nodeCount], virtualNodes);
                maxOverMean[trial] = ring.Nodes.Max(ring.GetShare) * nodeCount;
                addOverIdeal[trial] = ring.Add(ids[nodeCount]).GetShare(ids[nodeCount]) * (nodeCount + 1);
            }

            Array.Sort(maxOverMean);
            Array.Sort(addOverIdeal);
            Console.WriteLine(string.Create(Invariant,
                $"| {virtualNodes:N0} | {Percentile(maxOverMean, 0.5):F3} | {Percentile(maxOverMean, 0.95):F3} | {Percentile(maxOverMean, 0.99):F3} | " +
                $"{Fraction(maxOverMean, 1.10):P0} | {Percentile(addOverIdeal, 0.5):F3} | {Percentile(addOverIdeal, 0.95):F3} | {Percentile(addOverIdeal, 0.99):F3} | " +
                $"{Fraction(addOverIdeal, 1.15):P0} |"));
        }
    }

    private static void PrintMemoryPerNode()
    {
        Console.WriteLine("## Memory per node (retained after a full GC)");
        Console.WriteLine();
        Console.WriteLine("| structure | 10 nodes | 100 nodes | 1,000 nodes |");
        Console.WriteLine("|---|---:|---:|---:|");
        int[] sizes = [10, 100, 1000];
        Console.WriteLine("| ring, 160 vnodes | " + string.Join(" | ", sizes.Select(n => Bytes(Retained(() => Ring(KeySet.NodeIds(n), 160)) / n))) + " |");
        Console.WriteLine($"| ring, {ConsistentHashRing<string>.DefaultVirtualNodesPerWeight:N0} vnodes (default) | " + string.Join(" | ", sizes.Select(n => Bytes(Retained(() => Ring(KeySet.NodeIds(n))) / n))) + " |");
        Console.WriteLine("| Maglev table | " + string.Join(" | ", sizes.Select(n => Bytes(Retained(() => new MaglevHash(KeySet.NodeIds(n))) / n))) + " |");
        Console.WriteLine("| rendezvous (one hash per node) | " + string.Join(" | ", sizes.Select(n => Bytes(Retained(() => new RendezvousHash(KeySet.NodeIds(n))) / n))) + " |");
        Console.WriteLine("| jump | 0 B | 0 B | 0 B |");
        Console.WriteLine();
        Console.WriteLine("Node id strings are created before measuring, so they are not counted.");
    }

    private static ConsistentHashRing<string> Ring(string[] ids, int virtualNodes = ConsistentHashRing<string>.DefaultVirtualNodesPerWeight) =>
        new ConsistentHashRing<string>(virtualNodes).AddRange(ids);

    private static string[] Bounded(string[] ids, ulong[] hashes, double epsilon, int virtualNodes = ConsistentHashRing<string>.DefaultVirtualNodesPerWeight)
    {
        var assigner = new BoundedLoadAssigner<string>(Ring(ids, virtualNodes), epsilon);
        return Each(hashes, assigner.Assign);
    }

    private static string[] Each(ulong[] hashes, Func<ulong, string> owner)
    {
        var owners = new string[hashes.Length];
        for (int i = 0; i < hashes.Length; i++)
        {
            owners[i] = owner(hashes[i]);
        }

        return owners;
    }

    private static (double Max, double Min, double StdDevPercent) Balance(string[] nodes, string[] owners)
    {
        var loads = nodes.ToDictionary(n => n, _ => 0L, StringComparer.Ordinal);
        foreach (string owner in owners)
        {
            loads[owner]++;
        }

        double mean = owners.Length / (double)nodes.Length;
        double variance = loads.Values.Sum(l => (l - mean) * (l - mean)) / nodes.Length;
        return (loads.Values.Max() / mean, loads.Values.Min() / mean, 100 * Math.Sqrt(variance) / mean);
    }

    private static (double Ratio, bool OnlyExpected) Movement(string[] before, string[] after, double ideal, Func<string, string, bool> expected)
    {
        long moved = 0;
        bool onlyExpected = true;
        for (int i = 0; i < before.Length; i++)
        {
            if (!string.Equals(before[i], after[i], StringComparison.Ordinal))
            {
                moved++;
                onlyExpected &= expected(before[i], after[i]);
            }
        }

        return (moved / ideal, onlyExpected);
    }

    // Builds several copies and keeps them alive, so background allocations (JIT, timers) average out.
    private static long Retained(Func<object> build)
    {
        const int Copies = 10;
        var built = new object[Copies];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Copies; i++)
        {
            built[i] = build();
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        return (after - before) / Copies;
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private static double Fraction(double[] values, double limit) => values.Count(v => v <= limit) / (double)values.Length;

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Bytes(long bytes) =>
        bytes >= 10_240 ? string.Create(Invariant, $"{bytes / 1024.0:F1} KB") : string.Create(Invariant, $"{bytes} B");

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], Invariant) : fallback;
    }
}
