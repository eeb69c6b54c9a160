using System.Diagnostics.Metrics;
using OrleansSync.Diagnostics;

namespace OrleansSync.Queues;

/// <summary>Queue instruments.</summary>
internal static class QueueMetrics
{
    private static readonly Histogram<double> PublishHolds = OrleansSyncMeter.Meter.CreateHistogram<double>(
        "orleanssync.queue.publish_hold", "ms",
        "How long publish answers were held for consumers to catch up (QueueOptions.MaxConsumerLag); publishes not held are not recorded.");

    public static void PublishHeld(TimeSpan held) => PublishHolds.Record(held.TotalMilliseconds);
}
