namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// One copy of a multi-primary replica group (key <see cref="MultiPrimaryKeys.Copy"/>: <c>{group}#{index}</c>). Every
/// copy accepts writes: it applies a write to its own store, pushes the key's merged state to its peers and
/// acknowledges once <see cref="MultiPrimaryWrite.RequiredAcks"/> copies hold it. Conflicts resolve by CRDT merge
/// (<see cref="ReplicatedValue"/>); periodic anti-entropy and read repair make every copy converge.
/// </summary>
/// <remarks>
/// <para>Inputs: keys follow the <see cref="Naming.ResourceName"/> rule; a register value is at most the silo's
/// configured limit (default <see cref="MultiPrimaryLimits.DefaultMaxValueBytes"/>); copies/acks/read counts are in range.
/// Bad input throws <see cref="ArgumentException"/> (a value over the limit: <see cref="ArgumentOutOfRangeException"/>).</para>
/// <para>Too few copies answering throws <see cref="InsufficientCopiesException"/>.</para>
/// <para>The methods under "between copies" are the replication protocol; applications use the others.</para>
/// </remarks>
[Alias("OrleansSync.Replication.MultiPrimary.IMultiPrimaryCopyGrain")]
public interface IMultiPrimaryCopyGrain : IGrainWithStringKey
{
    /// <summary>Sets the key's register to <paramref name="value"/> (last writer wins by hybrid logical clock).</summary>
    [Alias("Set")]
    Task<CopyWriteResult> Set(string key, byte[] value, MultiPrimaryWrite write);

    /// <summary>Deletes the key's register (a tombstone write; a concurrent later Set wins).</summary>
    [Alias("Delete")]
    Task<CopyWriteResult> Delete(string key, MultiPrimaryWrite write);

    /// <summary>Reads the key's register, merging <see cref="MultiPrimaryRead.ReadCopies"/> copies.</summary>
    [Alias("Get")]
    Task<RegisterRead> Get(string key, MultiPrimaryRead read);

    /// <summary>Adds <paramref name="amount"/> (≥ 1) to the key's counter.</summary>
    [Alias("Increment")]
    Task<CopyWriteResult> Increment(string key, long amount, MultiPrimaryWrite write);

    /// <summary>Subtracts <paramref name="amount"/> (≥ 1) from the key's counter.</summary>
    [Alias("Decrement")]
    Task<CopyWriteResult> Decrement(string key, long amount, MultiPrimaryWrite write);

    /// <summary>Reads the key's counter, merging <see cref="MultiPrimaryRead.ReadCopies"/> copies.</summary>
    [Alias("GetCounter")]
    Task<CounterRead> GetCounter(string key, MultiPrimaryRead read);

    /// <summary>Adds elements (1–<see cref="MultiPrimaryLimits.MaxElementsPerCall"/>, each 1–<see cref="MultiPrimaryLimits.MaxElementLength"/> characters) to the key's set.</summary>
    [Alias("AddElements")]
    Task<CopyWriteResult> AddElements(string key, IReadOnlyList<string> elements, MultiPrimaryWrite write);

    /// <summary>Removes elements from the key's set: the adds this copy has seen; concurrent unseen adds win.</summary>
    [Alias("RemoveElements")]
    Task<CopyWriteResult> RemoveElements(string key, IReadOnlyList<string> elements, MultiPrimaryWrite write);

    /// <summary>Reads the key's set, merging <see cref="MultiPrimaryRead.ReadCopies"/> copies.</summary>
    [Alias("GetSet")]
    Task<SetRead> GetSet(string key, MultiPrimaryRead read);

    /// <summary>This copy's status and content digest (local only; never contacts peers).</summary>
    /// <param name="copies">The group's replica count.</param>
    [Alias("GetStatus")]
    Task<CopyStatus> GetStatus(int copies);

    /// <summary>
    /// Runs one anti-entropy round with every peer now (as the timer does every interval) and answers how many key
    /// states were sent or received. For operators and for a caller that knows a copy just returned.
    /// </summary>
    /// <param name="copies">The group's replica count.</param>
    [Alias("SyncNow")]
    Task<int> SyncNow(int copies);

    /// <summary>
    /// For the change feed: this copy's registers whose version (clock stamp as a number) is above
    /// <paramref name="afterVersion"/>, in version order, at most <paramref name="max"/>; deletes included. A full page
    /// has <see cref="ReplicaChangePage.More"/> set and <see cref="ReplicaChangePage.CommittedVersion"/> at its last version.
    /// </summary>
    /// <param name="copies">The group's replica count.</param>
    /// <param name="afterVersion">Exclusive lower bound, ≥ 0.</param>
    /// <param name="max">Page size, 1–<see cref="ReplicaLimits.MaxChangesPerRead"/>.</param>
    [Alias("ReadRegisterChanges")]
    Task<ReplicaChangePage> ReadRegisterChanges(int copies, long afterVersion, int max);

    /// <summary>Between copies: merges pushed states; returns once they are durable here.</summary>
    [Alias("MergeEntries")]
    Task MergeEntries(int copies, IReadOnlyDictionary<string, ReplicatedValue> entries);

    /// <summary>Between copies (read repair): this copy's state of <paramref name="key"/>, or null.</summary>
    [Alias("ReadEntry")]
    Task<ReplicatedValue?> ReadEntry(int copies, string key);

    /// <summary>Between copies (anti-entropy, step 1): the digest of each of the <see cref="MultiPrimaryLimits.DigestBuckets"/> key buckets.</summary>
    [Alias("GetBucketDigests")]
    Task<IReadOnlyList<ulong>> GetBucketDigests(int copies);

    /// <summary>Between copies (anti-entropy, step 2): per-key digests of the keys in <paramref name="buckets"/>.</summary>
    [Alias("GetKeyDigests")]
    Task<KeyDigests> GetKeyDigests(int copies, IReadOnlyList<int> buckets);

    /// <summary>
    /// Between copies (anti-entropy, step 3): merges <paramref name="entries"/> durably, then answers this copy's states of
    /// <paramref name="wanted"/> (keys it does not hold are left out).
    /// </summary>
    [Alias("Exchange")]
    Task<IReadOnlyDictionary<string, ReplicatedValue>> Exchange(int copies, IReadOnlyDictionary<string, ReplicatedValue> entries, IReadOnlyList<string> wanted);
}
