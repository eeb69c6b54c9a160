using Orleans.Concurrency;

namespace OrleansSync.Replication;

/// <inheritdoc cref="IReplicaWriteEntryGrain"/>
/// <remarks>Holds nothing: it only forwards, so it can run on every silo at once and interleave its calls.</remarks>
[StatelessWorker]
[Reentrant]
internal sealed class ReplicaWriteEntryGrain(ILocalSiloDetails silo) : Grain, IReplicaWriteEntryGrain
{
    public Task<SiloAddress> GetSilo() => Task.FromResult(silo.SiloAddress);

    public Task<IReadOnlyList<ReplicaWriteOutcome>> WriteBatch(string group, IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        return GrainFactory.GetGrain<IReplicaGroupGrain>(group).WriteBatch(writes, cancellationToken);
    }
}
