using Microsoft.Extensions.Logging;

namespace OrleansSync.Locks;

/// <inheritdoc cref="ILockGrain"/>
internal sealed class LockGrain(
    [PersistentState("lease", ProviderNames.GrainStorage)] IPersistentState<LeaseState> state,
    TimeProvider clock,
    ILogger<LockGrain> logger) : LeaseGrainBase(state, clock, logger), ILockGrain
{
    protected override LeaseRequest Normalize(LeaseRequest request) => LeaseKinds.Exclusive(request);

    protected override string Kind => "lock";
}
