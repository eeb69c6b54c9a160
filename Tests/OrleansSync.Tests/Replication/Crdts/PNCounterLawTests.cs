using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>Merge laws of <see cref="PNCounter"/>: increments and decrements of 1–5 by each replica.</summary>
public sealed class PNCounterLawTests : CrdtLawTests<PNCounter>
{
    protected override PNCounter Empty => PNCounter.Empty;

    protected override PNCounter Update(PNCounter state, CrdtStep step, HybridLogicalClock clock) =>
        step.Kind < 7 ? state.Increment(clock.Node, step.Argument + 1) : state.Decrement(clock.Node, step.Argument + 1);
}
