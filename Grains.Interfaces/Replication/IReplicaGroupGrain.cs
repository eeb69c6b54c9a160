namespace OrleansSync.Replication;

/// <summary>
/// A replica group (key = group name): persists mode, replica count, epoch and primary, and routes every operation. In
/// primary-backup mode writes and primary reads go to the primary copy of the current epoch; when that copy is
/// unreachable or was re-activated (its silo died), the group fails over first: the epoch rises, a majority of copies
/// promise to refuse older epochs, and the copy with the highest (epoch, version) becomes primary.
/// </summary>
[Alias("OrleansSync.Replication.IReplicaGroupGrain")]
public interface IReplicaGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the group with <paramref name="replicas"/> copies (epoch 1, copy 0 primary). Configuring again with the
    /// same mode and count changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Replicas outside 1..7, an undefined mode, or a different mode/count than the group has.</exception>
    [Alias("Configure")]
    Task<ReplicaGroupStatus> Configure(ReplicationMode mode, int replicas, CancellationToken cancellationToken = default);

    /// <summary>The group's status, asking every copy (a copy that does not answer is reported unreachable).</summary>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    [Alias("GetStatus")]
    Task<ReplicaGroupStatus> GetStatus(CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">At most <see cref="ReplicaLimits.MaxValueBytes"/> bytes.</param>
    /// <param name="write">How many copies must hold it before the answer.</param>
    /// <param name="expectedVersion">Null: unconditional. Otherwise the key's current version (0 = must not exist).</param>
    /// <param name="cancellationToken">Cancels the wait (the write may still happen).</param>
    /// <exception cref="ReplicaVersionConflictException">The key's version is not <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Not enough copies held it in time.</exception>
    [Alias("Set")]
    Task<ReplicaWriteResult> Set(string key, byte[] value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> (a tombstone with a version, so copies and the change feed see it).</summary>
    /// <inheritdoc cref="Set"/>
    [Alias("Delete")]
    Task<ReplicaWriteResult> Delete(string key, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several independent writes in one call (a client's concurrent writes to the group travel together): each is
    /// handled exactly as <see cref="Set"/> (value set) or <see cref="Delete"/> (value null) would handle it alone, all
    /// at once, and answered on its own, in list order, once every one is settled.
    /// </summary>
    /// <param name="writes">1 to <see cref="ReplicaLimits.MaxWritesPerBatch"/> writes.</param>
    /// <param name="cancellationToken">Cancels the wait (the writes may still happen).</param>
    /// <returns>One outcome per write: its result or the exception <see cref="Set"/> would have thrown for it.</returns>
    /// <exception cref="ArgumentException">No writes or more than <see cref="ReplicaLimits.MaxWritesPerBatch"/>.</exception>
    [Alias("WriteBatch")]
    Task<IReadOnlyList<ReplicaWriteOutcome>> WriteBatch(IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The silo this group's grain runs on (with copy 0, the first primary), so a client can enter the cluster there
    /// (<see cref="IReplicaWriteEntryGrain"/>). Answers whether or not the group is configured.
    /// </summary>
    [Alias("GetHostSilo")]
    Task<SiloAddress> GetHostSilo();

    /// <summary>
    /// The epoch and primary copy that a primary-backup group's writes go to now; null for a multi-primary group. A hint
    /// that may be stale by the time it is used: the copy refuses writes sent for any other epoch
    /// (<see cref="ReplicaWriteStatus.NotPrimary"/>), so <see cref="IReplicaWriteEntryGrain"/> can send writes straight to
    /// it and come back here on a refusal.
    /// </summary>
    /// <exception cref="ReplicaGroupNotFoundException">The group is not configured.</exception>
    [Alias("GetWriteTarget")]
    Task<ReplicaWriteTarget?> GetWriteTarget();

    /// <summary>Reads <paramref name="key"/> with the given consistency.</summary>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">No copy (any) or no majority answered.</exception>
    [Alias("Get")]
    Task<ReplicaReadResult> Get(string key, ReadConsistency read, CancellationToken cancellationToken = default);

    /// <summary>
    /// Primary-backup: up to <paramref name="max"/> changes with version above <paramref name="afterVersion"/>, committed on
    /// a majority, in version order. Multi-primary: the registers of a majority of copies written after that version,
    /// merged per key, in version order (a page may hold more than <paramref name="max"/> when copies differ).
    /// </summary>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    [Alias("ReadChanges")]
    Task<ReplicaChangePage> ReadChanges(long afterVersion, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Multi-primary groups: adds <paramref name="delta"/> (negative subtracts) to the key's PN-counter. Counters are
    /// separate from the key's register value; increments on different copies all count.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="delta">Not 0 and not <see cref="long.MinValue"/>.</param>
    /// <param name="write">How many copies must hold it before the answer.</param>
    /// <param name="cancellationToken">Cancels the wait (the change may still happen).</param>
    /// <returns>The change's clock stamp as a version, and the acks.</returns>
    /// <exception cref="ArgumentException">Bad key or delta; the group is primary-backup (parameter <c>group</c>).</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Not enough copies held it in time.</exception>
    [Alias("AddToCounter")]
    Task<ReplicaWriteResult> AddToCounter(string key, long delta, WriteConsistency write, CancellationToken cancellationToken = default);

    /// <summary>Multi-primary groups: the key's counter (0 if never changed), merged over one (any) or a majority (majority, primary) of copies.</summary>
    /// <exception cref="ArgumentException">Bad key; the group is primary-backup.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Too few copies answered.</exception>
    [Alias("GetCounter")]
    Task<long> GetCounter(string key, ReadConsistency read, CancellationToken cancellationToken = default);

    /// <summary>
    /// Multi-primary groups: adds (<paramref name="remove"/> false) or removes elements of the key's add-wins OR-set. A
    /// remove takes out the adds the copy has seen; an add concurrent with it wins.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="elements">1–1,000 elements, each 1–1,024 characters.</param>
    /// <param name="remove">Whether to remove rather than add.</param>
    /// <param name="write">How many copies must hold it before the answer.</param>
    /// <param name="cancellationToken">Cancels the wait (the change may still happen).</param>
    /// <inheritdoc cref="AddToCounter" path="/returns|/exception"/>
    [Alias("UpdateSet")]
    Task<ReplicaWriteResult> UpdateSet(string key, IReadOnlyList<string> elements, bool remove, WriteConsistency write, CancellationToken cancellationToken = default);

    /// <summary>Multi-primary groups: the key's set elements in ordinal order (empty if never written), merged over one or a majority of copies.</summary>
    /// <inheritdoc cref="GetCounter" path="/exception"/>
    [Alias("GetSet")]
    Task<IReadOnlyList<string>> GetSet(string key, ReadConsistency read, CancellationToken cancellationToken = default);
}
