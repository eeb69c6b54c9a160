namespace OrleansSync.Replication;

/// <summary>
/// Keeps a copy of a replica group's configuration on the silo of copy <c>i</c> (key <see cref="ReplicaCopyKey"/>), in
/// that silo's memory. Only the group grain calls it, and only in the embedded profile: a group grain that comes back
/// without its configuration (its silo died with the in-memory grain storage holding it) recovers it from these records
/// on the surviving copies' silos.
/// </summary>
[Alias("OrleansSync.Replication.IReplicaGroupRecordGrain")]
public interface IReplicaGroupRecordGrain : IGrainWithStringKey
{
    /// <summary>Keeps <paramref name="record"/> unless a record with a higher epoch is already kept.</summary>
    [Alias("Keep")]
    Task Keep(ReplicaGroupRecord record);

    /// <summary>The kept record; null when this silo holds none for the copy.</summary>
    [Alias("Get")]
    Task<ReplicaGroupRecord?> Get();
}
