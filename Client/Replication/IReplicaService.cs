using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// Replicated key-value groups of the OrleansSync cluster. A group holds N copies (default 3) on distinct silos; in
/// primary-backup mode one primary orders the writes (versions), a write is acknowledged once the asked number of copies
/// hold it durably, and a failover raises the group's epoch and elects the copy with the highest version, so no write
/// acknowledged at <see cref="WriteConsistency.Majority"/> is lost while a majority of copies survives.
/// </summary>
/// <remarks>
/// Every method validates its input and throws <see cref="ArgumentException"/> before contacting the cluster. An
/// unconfigured group throws <see cref="ReplicaGroupNotFoundException"/>; too few reachable copies throw
/// <see cref="ReplicaUnavailableException"/> (a write that failed so may still become durable: make retries safe with
/// <c>expectedVersion</c>). A cluster that cannot be reached surfaces as Orleans' <c>SiloUnavailableException</c> or
/// <see cref="TimeoutException"/>.
/// </remarks>
public interface IReplicaService
{
    /// <summary>Creates a group (epoch 1, copy 0 primary), or returns its status when it already has this mode and count.</summary>
    /// <param name="group">Group name, 1–256 characters of <c>[A-Za-z0-9._:/-]</c>.</param>
    /// <param name="mode">Default <see cref="ReplicationMode.PrimaryBackup"/>. <see cref="ReplicationMode.MultiPrimary"/>: every copy accepts writes, a value is a last-writer-wins register merged by hybrid logical clock, a version is its clock stamp as a number, conditional writes are refused, a primary read reads a majority, and the change feed is ordered per key (see <see cref="WatchAsync"/>).</param>
    /// <param name="replicas">Copies, 1–7, default 3.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <exception cref="ArgumentException">Invalid name or count; a different mode or count than the existing group.</exception>
    Task<ReplicaGroupStatus> ConfigureAsync(string group, ReplicationMode mode = ReplicationMode.PrimaryBackup, int replicas = ReplicaLimits.DefaultReplicas, CancellationToken cancellationToken = default);

    /// <summary>The group's epoch, primary and each copy's silo, role, version and lag.</summary>
    /// <exception cref="ArgumentException">Invalid name.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    Task<ReplicaGroupStatus> GetStatusAsync(string group, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/>; answers the new version once <paramref name="write"/> copies hold it.</summary>
    /// <param name="group">Group name.</param>
    /// <param name="key">Key, 1–256 characters of <c>[A-Za-z0-9._:/-]</c>.</param>
    /// <param name="value">At most 1 MiB.</param>
    /// <param name="write">Default <see cref="WriteConsistency.Majority"/>.</param>
    /// <param name="expectedVersion">Null (default): unconditional. Otherwise the key's current version; 0 = the key must not exist.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer (the write may still happen).</param>
    /// <exception cref="ArgumentException">Invalid name, key, value, consistency or expected version.</exception>
    /// <exception cref="ReplicaVersionConflictException">The key's version is not <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Fewer copies than asked held it within 10 s.</exception>
    Task<ReplicaWriteResult> SetAsync(string group, string key, byte[] value, WriteConsistency write = WriteConsistency.Majority, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Reads <paramref name="key"/>: <see cref="ReplicaReadResult.Found"/> false when it does not exist.</summary>
    /// <param name="group">Group name.</param>
    /// <param name="key">Key.</param>
    /// <param name="read">Default <see cref="ReadConsistency.Primary"/> (sees every acknowledged write).</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <exception cref="ArgumentException">Invalid name, key or consistency.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">No copy (any) or no majority answered.</exception>
    Task<ReplicaReadResult> GetAsync(string group, string key, ReadConsistency read = ReadConsistency.Primary, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> (a versioned tombstone, so copies and watchers see it).</summary>
    /// <inheritdoc cref="SetAsync" path="/param[@name='group']|/param[@name='key']|/param[@name='write']|/param[@name='expectedVersion']|/param[@name='cancellationToken']|/exception"/>
    Task<ReplicaWriteResult> DeleteAsync(string group, string key, WriteConsistency write = WriteConsistency.Majority, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The group's change feed: every change with version above <paramref name="fromVersion"/>, in version order, without
    /// gaps, then live changes until <paramref name="cancellationToken"/> is cancelled. Only changes durable on a majority
    /// of copies are delivered. It subscribes to the group's stream first, then reads what is missing from the primary,
    /// and fills any gap it sees in the stream (or after 5 s of silence) by reading again.
    /// </summary>
    /// <remarks>
    /// Copies keep the latest write per key, so the part read from the primary is a compacted history: a key written
    /// several times after <paramref name="fromVersion"/> appears once, at its latest version, still in version order.
    /// Applying the changes in order to a local map always yields the group's state as of the last change seen.
    /// <para>Multi-primary groups have no group-wide order: a version is a key's clock stamp. The feed then delivers, per
    /// key, changes with increasing versions (an older write that arrives after a newer one of its key is skipped), in
    /// arrival order across keys; it reads a majority of copies at the start and whenever the stream is quiet for 5 s,
    /// so a write acknowledged at majority is delivered even if its stream event is lost. Applying the changes to a local
    /// map still converges to the group's state; <paramref name="fromVersion"/> is then a clock stamp, typically the
    /// largest version the caller has applied.</para>
    /// </remarks>
    /// <param name="group">Group name.</param>
    /// <param name="fromVersion">Deliver changes after this version; 0 (default) for the whole group.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <exception cref="ArgumentException">Invalid name or negative <paramref name="fromVersion"/> (thrown at once).</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured (thrown while enumerating).</exception>
    IAsyncEnumerable<ReplicaChange> WatchAsync(string group, long fromVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Multi-primary groups: adds <paramref name="delta"/> to the key's counter (a PN-counter, separate from the key's
    /// value); a negative delta subtracts. Increments made on different copies at the same time all count.
    /// </summary>
    /// <param name="group">Group name (a multi-primary group).</param>
    /// <param name="key">Key.</param>
    /// <param name="delta">Default 1; not 0 and not <see cref="long.MinValue"/>.</param>
    /// <param name="write">Default <see cref="WriteConsistency.Majority"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer (the change may still happen).</param>
    /// <returns>The change's clock stamp as a version, and how many copies held it.</returns>
    /// <exception cref="ArgumentException">Invalid name, key, delta or consistency; the group is primary-backup.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Fewer copies than asked held it in time.</exception>
    Task<ReplicaWriteResult> IncrementAsync(string group, string key, long delta = 1, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default);

    /// <summary>Multi-primary groups: the key's counter, 0 if never changed.</summary>
    /// <param name="group">Group name (a multi-primary group).</param>
    /// <param name="key">Key.</param>
    /// <param name="read">Default <see cref="ReadConsistency.Majority"/> (primary also reads a majority); any reads one copy.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <exception cref="ArgumentException">Invalid name, key or consistency; the group is primary-backup.</exception>
    /// <exception cref="ReplicaGroupNotFoundException">Not configured.</exception>
    /// <exception cref="ReplicaUnavailableException">Too few copies answered.</exception>
    Task<long> GetCounterAsync(string group, string key, ReadConsistency read = ReadConsistency.Majority, CancellationToken cancellationToken = default);

    /// <summary>Multi-primary groups: adds elements to the key's set (an add-wins OR-set, separate from the key's value).</summary>
    /// <param name="group">Group name (a multi-primary group).</param>
    /// <param name="key">Key.</param>
    /// <param name="elements">1–1,000 elements, each 1–1,024 characters.</param>
    /// <param name="write">Default <see cref="WriteConsistency.Majority"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer (the change may still happen).</param>
    /// <inheritdoc cref="IncrementAsync" path="/returns|/exception"/>
    Task<ReplicaWriteResult> AddToSetAsync(string group, string key, IReadOnlyList<string> elements, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default);

    /// <summary>
    /// Multi-primary groups: removes elements from the key's set. A remove takes out the adds the copy it reaches has
    /// seen; an add made concurrently elsewhere wins and keeps the element.
    /// </summary>
    /// <inheritdoc cref="AddToSetAsync" path="/param|/returns|/exception"/>
    Task<ReplicaWriteResult> RemoveFromSetAsync(string group, string key, IReadOnlyList<string> elements, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default);

    /// <summary>Multi-primary groups: the key's set elements in ordinal order, empty if never written.</summary>
    /// <inheritdoc cref="GetCounterAsync" path="/param|/exception"/>
    Task<IReadOnlyList<string>> GetSetAsync(string group, string key, ReadConsistency read = ReadConsistency.Majority, CancellationToken cancellationToken = default);
}
