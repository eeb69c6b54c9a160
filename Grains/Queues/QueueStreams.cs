namespace OrleansSync.Queues;

/// <summary>The stream a partition pushes its appends on: provider <see cref="ProviderNames.Streams"/>, one stream per partition.</summary>
internal static class QueueStreams
{
    public const string Namespace = "orleanssync.queue-partition";

    public static StreamId ForPartition(string queue, int partition) => StreamId.Create(Namespace, QueueKeys.Partition(queue, partition));
}
