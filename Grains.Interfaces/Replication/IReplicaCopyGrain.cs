namespace OrleansSync.Replication;

/// <summary>
/// One copy of a primary-backup replica group (key <see cref="ReplicaCopyKey"/>), placed on the i-th silo of the hash
/// ring's preference list for the group. Only the group grain and the primary copy call it. Every call carries an epoch;
/// anything from an epoch older than the highest the copy accepted is refused.
/// </summary>
[Alias("OrleansSync.Replication.IReplicaCopyGrain")]
public interface IReplicaCopyGrain : IGrainWithStringKey
{
    /// <summary>The copy's state.</summary>
    [Alias("GetState")]
    Task<ReplicaCopyState> GetState();

    /// <summary>
    /// Accepts <paramref name="epoch"/> (durably) and from then on refuses anything older; a primary of an older epoch
    /// steps down. Answers the state after the promise. A promise of an older epoch changes nothing.
    /// </summary>
    [Alias("Promise")]
    Task<ReplicaCopyState> Promise(long epoch);

    /// <summary>Becomes the primary of <paramref name="epoch"/> for a group of <paramref name="replicas"/> copies and starts syncing the backups.</summary>
    /// <returns>The state; <see cref="ReplicaCopyState.IsPrimary"/> false when the epoch is stale.</returns>
    [Alias("BecomePrimary")]
    Task<ReplicaCopyState> BecomePrimary(long epoch, int replicas);

    /// <summary>On the primary: orders and replicates a write (<paramref name="value"/> null = delete).</summary>
    [Alias("Write")]
    Task<ReplicaCopyWriteOutcome> Write(long epoch, string key, byte[]? value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// On the primary: orders and replicates several writes, each as <see cref="Write"/> would alone (unconditional ones
    /// in list order), and answers one outcome per write, in list order, once all are settled. A conditional write whose
    /// check could not read the store is answered <see cref="ReplicaWriteStatus.NotPrimary"/> (refused before it was
    /// ordered, so safe to send again).
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="ReplicaLimits.MaxWritesPerBatch"/> writes, or a bad key, value, version or consistency (then none is written).</exception>
    [Alias("WriteBatch")]
    Task<IReadOnlyList<ReplicaCopyWriteOutcome>> WriteBatch(long epoch, IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default);

    /// <summary>Reads a key from this copy's store. With <paramref name="primaryEpoch"/> set, only a primary of that epoch answers (others throw <see cref="ReplicaUnavailableException"/>).</summary>
    [Alias("Read")]
    Task<ReplicaReadResult> Read(string key, long? primaryEpoch);

    /// <summary>On the primary: committed changes after <paramref name="afterVersion"/>, in version order.</summary>
    [Alias("ReadChanges")]
    Task<ReplicaChangePage> ReadChanges(long epoch, long afterVersion, int max);

    /// <summary>
    /// On a backup: stores a batch from the primary of <paramref name="epoch"/>. Refused when the epoch is stale or the copy
    /// does not end at <paramref name="afterVersion"/>. Afterwards the copy holds everything through
    /// <paramref name="throughVersion"/>; <paramref name="consistent"/> false marks a compacted catch-up page.
    /// </summary>
    [Alias("Apply")]
    Task<ReplicaApplyResult> Apply(long epoch, long afterVersion, IReadOnlyList<ReplicaChange> entries, long throughVersion, bool consistent);

    /// <summary>On a backup: drops all data before a full copy from the primary of <paramref name="epoch"/>.</summary>
    [Alias("Reset")]
    Task<ReplicaApplyResult> Reset(long epoch);
}
