using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace OrleansSync.Queues;

/// <summary>
/// Maps a message to its partition with a hash that is the same in every process and version: XxHash64 over the UTF-8
/// of the key, or of the id when there is no key (so a retried publish lands where its first attempt did and the
/// partition's dedupe window catches it). Never <c>string.GetHashCode()</c>, which differs per process.
/// </summary>
internal static class QueuePartitioner
{
    /// <summary>Length of an id made by <see cref="NewIdIn"/>: a GUID in its 32-hex-digit form.</summary>
    private const int IdLength = 32;

    /// <summary>Random bytes drawn per refill: 256 candidate ids for one system call instead of one call per candidate.</summary>
    private const int RandomPoolBytes = 4096;

    [ThreadStatic]
    private static byte[]? t_randomPool;

    [ThreadStatic]
    private static int t_randomUsed;

    public static int PartitionOf(QueueMessage message, int partitions)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var routingKey = message.Key ?? message.Id ?? throw new ArgumentException("A message needs a key or an id to be routed.", nameof(message));
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(routingKey));
        return (int)(hash % (ulong)partitions);
    }

    /// <summary>
    /// A new random id (32 hex digits, as <c>Guid.ToString("N")</c>) whose hash routes to <paramref name="partition"/>:
    /// the broker gives the id-less, key-less messages of one publish ids of one partition, so the batch costs one
    /// append (as a sticky partitioner) while every message's partition stays a function of its id. Takes
    /// <paramref name="partitions"/> draws on average; the draws come from a per-thread pool of cryptographically random
    /// bytes refilled 4 KiB at a time (<c>Guid.NewGuid</c> per draw cost one system call each, a visible share of the
    /// silo's CPU under publish load).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is not in [0, <paramref name="partitions"/>).</exception>
    public static string NewIdIn(int partition, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, partitions);
        Span<byte> utf8 = stackalloc byte[IdLength];
        while (true)
        {
            var id = new Guid(NextRandom16());
            if (!id.TryFormat(utf8, out var written, "N") || written != IdLength)
            {
                throw new InvalidOperationException("A GUID did not format as 32 hex digits.");
            }

            if ((int)(XxHash64.HashToUInt64(utf8) % (ulong)partitions) == partition)
            {
                return Encoding.ASCII.GetString(utf8);
            }
        }
    }

    private static ReadOnlySpan<byte> NextRandom16()
    {
        var pool = t_randomPool ??= new byte[RandomPoolBytes];
        if (t_randomUsed == 0 || t_randomUsed + 16 > pool.Length)
        {
            RandomNumberGenerator.Fill(pool);
            t_randomUsed = 0;
        }

        var next = pool.AsSpan(t_randomUsed, 16);
        t_randomUsed += 16;
        return next;
    }
}
