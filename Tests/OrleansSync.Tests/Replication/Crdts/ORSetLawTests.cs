using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>Merge laws of <see cref="ORSet"/>: adds and removes of five elements by each replica.</summary>
public sealed class ORSetLawTests : CrdtLawTests<ORSet>
{
    protected override ORSet Empty => ORSet.Empty;

    protected override ORSet Update(ORSet state, CrdtStep step, HybridLogicalClock clock) =>
        step.Kind < 7 ? state.Add(clock.Node, $"e{step.Argument}") : state.Remove($"e{step.Argument}");
}
