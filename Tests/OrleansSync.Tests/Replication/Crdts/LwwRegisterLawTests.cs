using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>Merge laws of <see cref="LwwRegister"/>: writes of five values and deletes, under wall clocks that jump back.</summary>
public sealed class LwwRegisterLawTests : CrdtLawTests<LwwRegister>
{
    protected override LwwRegister Empty => LwwRegister.Empty;

    protected override LwwRegister Update(LwwRegister state, CrdtStep step, HybridLogicalClock clock) =>
        step.Kind == 9 ? state.Delete(clock) : state.Set([(byte)step.Argument], clock);
}
