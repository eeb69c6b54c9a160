using Microsoft.Extensions.Logging;

namespace OrleansSync.Locks;

/// <inheritdoc cref="ISemaphoreGrain"/>
internal sealed class SemaphoreGrain(
    [PersistentState("lease", ProviderNames.GrainStorage)] IPersistentState<LeaseState> state,
    TimeProvider clock,
    ILogger<SemaphoreGrain> logger) : LeaseGrainBase(state, clock, logger), ISemaphoreGrain
{
    protected override LeaseRequest Normalize(LeaseRequest request) => LeaseKinds.Semaphore(request);

    protected override string Kind => "semaphore";
}
