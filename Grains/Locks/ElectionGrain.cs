using Microsoft.Extensions.Logging;

namespace OrleansSync.Locks;

/// <inheritdoc cref="IElectionGrain"/>
internal sealed class ElectionGrain(
    [PersistentState("lease", ProviderNames.GrainStorage)] IPersistentState<LeaseState> state,
    TimeProvider clock,
    ILogger<ElectionGrain> logger) : LeaseGrainBase(state, clock, logger), IElectionGrain
{
    protected override LeaseRequest Normalize(LeaseRequest request) => LeaseKinds.Exclusive(request);

    protected override string Kind => "election";
}
