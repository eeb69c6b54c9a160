using Microsoft.Extensions.Logging;

namespace OrleansSync.Locks;

/// <inheritdoc cref="IReaderWriterLockGrain"/>
internal sealed class ReaderWriterLockGrain(
    [PersistentState("lease", ProviderNames.GrainStorage)] IPersistentState<LeaseState> state,
    TimeProvider clock,
    ILogger<ReaderWriterLockGrain> logger) : LeaseGrainBase(state, clock, logger), IReaderWriterLockGrain
{
    protected override LeaseRequest Normalize(LeaseRequest request) => LeaseKinds.ReaderWriter(request);

    protected override string Kind => "rwlock";
}
