using System.IO.Hashing;
using System.Text;

namespace OrleansSync.Queues;

/// <summary>
/// Maps a message to its partition with a hash that is the same in every process and version: XxHash64 over the UTF-8
/// of the key, or of the id when there is no key (so a retried publish lands where its first attempt did and the
/// partition's dedupe window catches it). Never <c>string.GetHashCode()</c>, which differs per process.
/// </summary>
internal static class QueuePartitioner
{
    public static int PartitionOf(QueueMessage message, int partitions)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var routingKey = message.Key ?? message.Id ?? throw new ArgumentException("A message needs a key or an id to be routed.", nameof(message));
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(routingKey));
        return (int)(hash % (ulong)partitions);
    }
}
