using OrleansSync.Hashing;
using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// A copy's data in memory: key → state, with each key's digest and, per bucket of keys, the XOR of its keys' digests,
/// kept up to date on every merge so anti-entropy compares 64 numbers before it looks at any key.
/// </summary>
internal sealed class CopyContents
{
    private readonly Dictionary<string, ReplicatedValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _digests = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] _bucketKeys = Enumerable.Range(0, MultiPrimaryLimits.DigestBuckets).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
    private readonly ulong[] _buckets = new ulong[MultiPrimaryLimits.DigestBuckets];

    public int Count => _values.Count;

    /// <summary>XOR of all bucket digests: equal contents give equal values.</summary>
    public ulong Digest => _buckets.Aggregate(0UL, static (all, bucket) => all ^ bucket);

    public IReadOnlyList<ulong> BucketDigests => _buckets.ToArray();

    public static int BucketOf(string key) => (int)(StableKeyHash.Hash64(key) % MultiPrimaryLimits.DigestBuckets);

    public ReplicatedValue? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>Every key whose register was written (deletes included), with its register.</summary>
    public IEnumerable<KeyValuePair<string, LwwRegister>> Registers =>
        _values.Where(static v => v.Value.Register is { } r && r.Timestamp != HlcTimestamp.Zero)
            .Select(static v => KeyValuePair.Create(v.Key, v.Value.Register!));

    /// <summary>Merges <paramref name="incoming"/> into the key's state; answers whether the state changed.</summary>
    public bool Merge(string key, ReplicatedValue incoming)
    {
        var bucket = BucketOf(key);
        if (_values.TryGetValue(key, out var existing))
        {
            var merged = existing.Merge(incoming);
            if (merged.Equals(existing))
            {
                return false;
            }

            _buckets[bucket] ^= ValueDigest.OfKey(key, _digests[key]);
            Put(key, bucket, merged);
            return true;
        }

        if (incoming.Equals(ReplicatedValue.Empty))
        {
            return false;
        }

        _bucketKeys[bucket].Add(key);
        Put(key, bucket, incoming);
        return true;
    }

    /// <summary>
    /// Drops register tombstones stamped before <paramref name="cutoffWallTimeMs"/>: a key with nothing else left goes
    /// away, a key that also has a counter or a set keeps those.
    /// </summary>
    /// <returns>The keys changed; <see cref="Get"/> answers null for those removed entirely.</returns>
    public List<string> PurgeTombstones(long cutoffWallTimeMs)
    {
        var purged = _values.Where(v => IsOldTombstone(v.Value, cutoffWallTimeMs)).Select(static v => v.Key).ToList();
        foreach (var key in purged)
        {
            PurgeTombstone(key, cutoffWallTimeMs);
        }

        return purged;
    }

    /// <summary>Drops the key's register if it is a tombstone stamped before <paramref name="cutoffWallTimeMs"/>; answers whether it did.</summary>
    public bool PurgeTombstone(string key, long cutoffWallTimeMs)
    {
        if (!_values.TryGetValue(key, out var value) || !IsOldTombstone(value, cutoffWallTimeMs))
        {
            return false;
        }

        var bucket = BucketOf(key);
        _buckets[bucket] ^= ValueDigest.OfKey(key, _digests[key]);
        var rest = value with { Register = null };
        if (rest.Equals(ReplicatedValue.Empty))
        {
            _values.Remove(key);
            _digests.Remove(key);
            _bucketKeys[bucket].Remove(key);
        }
        else
        {
            Put(key, bucket, rest);
        }

        return true;
    }

    /// <summary>Key → digest for every key in <paramref name="buckets"/>.</summary>
    public Dictionary<string, ulong> KeyDigests(IEnumerable<int> buckets)
    {
        var digests = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            foreach (var key in _bucketKeys[bucket])
            {
                digests[key] = _digests[key];
            }
        }

        return digests;
    }

    private static bool IsOldTombstone(ReplicatedValue value, long cutoffWallTimeMs) =>
        value.Register is { IsDeleted: true } register && register.Timestamp.WallTimeMs < cutoffWallTimeMs;

    private void Put(string key, int bucket, ReplicatedValue value)
    {
        var digest = ValueDigest.Compute(value);
        _values[key] = value;
        _digests[key] = digest;
        _buckets[bucket] ^= ValueDigest.OfKey(key, digest);
    }
}
