namespace OrleansSync.Queues;

/// <summary>Spreads partitions evenly over consumers: sorted by id, partition p goes to consumer p mod n.</summary>
internal static class PartitionAssignment
{
    public static IReadOnlyList<int> PartitionsOf(string consumer, IReadOnlyList<string> sortedConsumers, int partitions)
    {
        var index = -1;
        for (var i = 0; i < sortedConsumers.Count; i++)
        {
            if (string.Equals(sortedConsumers[i], consumer, StringComparison.Ordinal))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            return [];
        }

        var owned = new List<int>();
        for (var p = index; p < partitions; p += sortedConsumers.Count)
        {
            owned.Add(p);
        }

        return owned;
    }
}
