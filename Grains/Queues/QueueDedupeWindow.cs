using System.IO.Hashing;
using System.Text;

namespace OrleansSync.Queues;

/// <summary>
/// The ids a partition stored within its dedupe window, kept by the partition's single writer in memory instead of one
/// database row per id. Holds a 64-bit fingerprint per id (mapped to the first offset of the log row holding it), so
/// about 40 bytes per id of the window; a fingerprint match is only a candidate, confirmed against the exact ids of
/// that log row (<see cref="Lookup"/>), so a fingerprint collision never drops a message. Two different ids with
/// one fingerprint inside the window keep the later one exactly. Not thread-safe: one writer.
/// </summary>
internal sealed class QueueDedupeWindow
{
    /// <summary>Seed differing from the partitioner's (which fixes the id hash's residue per partition).</summary>
    private const long FingerprintSeed = 0x5155_4555_4544_4550;

    private readonly Func<string, ulong> _fingerprint;
    private readonly Dictionary<ulong, long> _rowByFingerprint = [];
    private readonly Dictionary<string, long> _rowByCollidingId = new(StringComparer.Ordinal);
    private readonly Queue<Row> _rows = new();

    /// <summary>A window fingerprinting ids with <see cref="Fingerprint"/>.</summary>
    public QueueDedupeWindow()
        : this(Fingerprint)
    {
    }

    /// <summary>A window with another fingerprint function (tests force collisions with it).</summary>
    internal QueueDedupeWindow(Func<string, ulong> fingerprint) => _fingerprint = fingerprint;

    /// <summary>How many ids the window holds.</summary>
    public int Count => _rowByFingerprint.Count + _rowByCollidingId.Count;

    /// <summary>The fingerprint of an id (XxHash64 of its UTF-8, with this window's own seed).</summary>
    public static ulong Fingerprint(string id) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id), FingerprintSeed);

    /// <summary>Forgets the rows published at or before <paramref name="cutoff"/>, oldest first.</summary>
    public void Expire(DateTimeOffset cutoff)
    {
        while (_rows.TryPeek(out var row) && row.PublishedAt <= cutoff)
        {
            _rows.Dequeue();
            foreach (var fingerprint in row.Fingerprints)
            {
                if (_rowByFingerprint.TryGetValue(fingerprint, out var first) && first == row.FirstOffset)
                {
                    _rowByFingerprint.Remove(fingerprint);
                }
            }

            foreach (var id in row.CollidingIds)
            {
                if (_rowByCollidingId.TryGetValue(id, out var first) && first == row.FirstOffset)
                {
                    _rowByCollidingId.Remove(id);
                }
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="id"/> is surely stored (exact match of a colliding id), and otherwise the first offset of
    /// the log row that may hold it (its fingerprint matched), or null when it is surely not in the window.
    /// </summary>
    public (bool Stored, long? CandidateRow) Lookup(string id)
    {
        if (_rowByCollidingId.ContainsKey(id))
        {
            return (true, null);
        }

        return _rowByFingerprint.TryGetValue(_fingerprint(id), out var first) ? (false, first) : (false, null);
    }

    /// <summary>
    /// Records a stored log row. <paramref name="ids"/> must not already be in the window; an id whose fingerprint is
    /// taken by another id of the window is kept exactly.
    /// </summary>
    public void Add(long firstOffset, DateTimeOffset publishedAt, IReadOnlyList<string> ids)
    {
        var fingerprints = new ulong[ids.Count];
        List<string>? colliding = null;
        for (var i = 0; i < ids.Count; i++)
        {
            fingerprints[i] = _fingerprint(ids[i]);
            if (!_rowByFingerprint.TryAdd(fingerprints[i], firstOffset))
            {
                // Rare (two ids of the window share 64 bits): this id is kept exactly, the earlier one by fingerprint.
                _rowByCollidingId[ids[i]] = firstOffset;
                (colliding ??= []).Add(ids[i]);
            }
        }

        _rows.Enqueue(new Row(firstOffset, publishedAt, fingerprints, colliding?.ToArray() ?? []));
    }

    private sealed record Row(long FirstOffset, DateTimeOffset PublishedAt, ulong[] Fingerprints, string[] CollidingIds);
}
