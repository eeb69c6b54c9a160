using CsCheck;
using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>
/// The merge laws every CRDT must keep, checked on random runs of concurrent updates and merges among three replicas
/// (with wall clocks that jump forwards and backwards). Each type is a small subclass.
/// </summary>
public abstract class CrdtLawTests<T>
    where T : class, ICrdt<T>
{
    private const int Iterations = 300;

    private static readonly Gen<CrdtStep[]> Steps =
        Gen.Select(Gen.Int[0, CrdtRun<T>.Replicas - 1], Gen.Int[0, 9], Gen.Int[0, 4], Gen.Int[0, CrdtRun<T>.Replicas - 1], Gen.Int[-5, 5])
            .Select((replica, kind, argument, source, clockStep) => new CrdtStep(replica, kind, argument, source, clockStep))
            .Array[1, 40];

    private static readonly Gen<(CrdtStep[] Steps, int A, int B, int C)> RunsWithPicks =
        Gen.Select(Steps, Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000]);

    protected abstract T Empty { get; }

    /// <summary>Applies the type-specific update that <paramref name="step"/> names to <paramref name="state"/>.</summary>
    protected abstract T Update(T state, CrdtStep step, HybridLogicalClock clock);

    [Fact]
    public void Merge_is_commutative() =>
        RunsWithPicks.Sample(sample =>
        {
            var run = Run(sample.Steps);
            T a = run.Pick(sample.A), b = run.Pick(sample.B);
            Assert.Equal(a.Merge(b), b.Merge(a));
        }, iter: Iterations);

    [Fact]
    public void Merge_is_associative() =>
        RunsWithPicks.Sample(sample =>
        {
            var run = Run(sample.Steps);
            T a = run.Pick(sample.A), b = run.Pick(sample.B), c = run.Pick(sample.C);
            Assert.Equal(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));
        }, iter: Iterations);

    [Fact]
    public void Merge_is_idempotent() =>
        RunsWithPicks.Sample(sample =>
        {
            var run = Run(sample.Steps);
            T a = run.Pick(sample.A), b = run.Pick(sample.B);
            Assert.Equal(a, a.Merge(a));
            var ab = a.Merge(b);
            Assert.Equal(ab, ab.Merge(b));
            Assert.Equal(ab, ab.Merge(a));
        }, iter: Iterations);

    [Fact]
    public void Merge_and_updates_only_inflate()
    {
        RunsWithPicks.Sample(sample =>
        {
            var run = Run(sample.Steps);
            T a = run.Pick(sample.A), b = run.Pick(sample.B);
            var merged = a.Merge(b);
            Assert.True(a.IsLessOrEqual(merged), "a <= a ⊔ b");
            Assert.True(b.IsLessOrEqual(merged), "b <= a ⊔ b");
            Assert.True(Empty.IsLessOrEqual(a), "empty <= a");
            foreach (var (before, after) in run.Inflations)
            {
                Assert.True(before.IsLessOrEqual(after), "an update never goes down");
            }

            // The order agrees with merge: a <= b exactly when b absorbs a.
            Assert.Equal(a.Merge(b).Equals(b), a.IsLessOrEqual(b));
        }, iter: Iterations);
    }

    [Fact]
    public void Any_delivery_order_with_duplicates_converges()
    {
        Gen.Select(Steps, Gen.Int, Gen.Int).Sample((steps, seedA, seedB) =>
        {
            var run = Run(steps);
            var inOrder = run.Updates.Aggregate(Empty, (state, update) => state.Merge(update));
            var first = Deliver(run.Updates, seedA);
            var second = Deliver(run.Updates, seedB);
            Assert.Equal(inOrder, first);
            Assert.Equal(inOrder, second);

            // Replicas that exchange their final states agree, and hold everything any of them wrote.
            var all = run.Finals.Aggregate(Empty, (state, final) => state.Merge(final));
            Assert.All(run.Finals, final => Assert.Equal(all, final.Merge(all)));
            Assert.Equal(inOrder, all);
        }, iter: Iterations);
    }

    /// <summary>Merges every update once or more (about a third twice), in a shuffled order.</summary>
    private T Deliver(IReadOnlyList<T> updates, int seed)
    {
        var random = new Random(seed);
        var deliveries = updates.Concat(updates.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(deliveries);
        return deliveries.Aggregate(Empty, (state, update) => state.Merge(update));
    }

    private CrdtRun<T> Run(CrdtStep[] steps) => new(Empty, Update, steps);
}
