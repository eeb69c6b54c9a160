namespace OrleansSync.Replication;

/// <inheritdoc cref="IReplicaGroupRecordGrain"/>
/// <remarks>Placed like copy <c>i</c>, so the record sits on the silo that holds that copy's data and dies only with it.</remarks>
[ReplicaCopyPlacement]
internal sealed class ReplicaGroupRecordGrain(MemoryGroupRecords records) : Grain, IReplicaGroupRecordGrain
{
    public Task Keep(ReplicaGroupRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        records.Keep(this.GetPrimaryKeyString(), record);
        return Task.CompletedTask;
    }

    public Task<ReplicaGroupRecord?> Get() => Task.FromResult(records.Get(this.GetPrimaryKeyString()));
}
