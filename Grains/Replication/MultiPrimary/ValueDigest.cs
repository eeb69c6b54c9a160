using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// A 64-bit XXH3 digest of a <see cref="ReplicatedValue"/>'s canonical form: maps in ordinal key order, empty parts
/// left out. States that are equal (by <see cref="ReplicatedValue.Equals(ReplicatedValue?)"/>) have equal digests on
/// every silo and process, which is what lets copies compare data without sending it.
/// </summary>
internal static class ValueDigest
{
    public static ulong Compute(ReplicatedValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = new XxHash3();
        if (value.Register is { } register && !register.Equals(LwwRegister.Empty))
        {
            AppendByte(hash, 1);
            AppendLong(hash, register.Timestamp.WallTimeMs);
            AppendLong(hash, register.Timestamp.Logical);
            AppendString(hash, register.Timestamp.Node ?? string.Empty);
            AppendLong(hash, register.Value?.Length ?? -1);
            hash.Append(register.Value ?? []);
        }

        if (value.Counter is { } counter && !counter.Equals(PNCounter.Empty))
        {
            AppendByte(hash, 2);
            AppendTotals(hash, counter.Increments);
            AppendTotals(hash, counter.Decrements);
        }

        if (value.Set is { } set && !set.Equals(ORSet.Empty))
        {
            AppendByte(hash, 3);
            AppendLong(hash, set.Entries.Count);
            foreach (var (element, dots) in set.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                AppendString(hash, element);
                AppendLong(hash, dots.Count);
                foreach (var dot in dots.OrderBy(d => d.Replica, StringComparer.Ordinal).ThenBy(d => d.Counter))
                {
                    AppendString(hash, dot.Replica);
                    AppendLong(hash, dot.Counter);
                }
            }

            AppendTotals(hash, set.Seen);
        }

        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>The digest of one key holding a state with digest <paramref name="valueDigest"/>, XOR-combined into bucket digests.</summary>
    public static ulong OfKey(string key, ulong valueDigest)
    {
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, Hashing.StableKeyHash.Hash64(key));
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], valueDigest);
        return XxHash3.HashToUInt64(buffer);
    }

    private static void AppendTotals(XxHash3 hash, IReadOnlyDictionary<string, long> totals)
    {
        var nonZero = totals.Where(t => t.Value != 0).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        AppendLong(hash, nonZero.Count);
        foreach (var (replica, total) in nonZero)
        {
            AppendString(hash, replica);
            AppendLong(hash, total);
        }
    }

    private static void AppendString(XxHash3 hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendLong(hash, bytes.Length);
        hash.Append(bytes);
    }

    private static void AppendLong(XxHash3 hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        hash.Append(buffer);
    }

    private static void AppendByte(XxHash3 hash, byte value) => hash.Append([value]);
}
