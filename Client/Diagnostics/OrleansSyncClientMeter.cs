using System.Diagnostics.Metrics;

namespace OrleansSync.Client.Diagnostics;

/// <summary>
/// The client's <see cref="Meter"/>, for applications that export their own metrics (e.g. OpenTelemetry's
/// <c>AddMeter(OrleansSyncClientMeter.Name)</c>): how long lock acquisitions wait and how they end.
/// </summary>
public static class OrleansSyncClientMeter
{
    /// <summary>The meter name to subscribe to: <c>OrleansSync.Client</c>.</summary>
    public const string Name = "OrleansSync.Client";

    private static readonly Meter Meter = new(Name, typeof(OrleansSyncClientMeter).Assembly.GetName().Version?.ToString());

    private static readonly Histogram<double> AcquireDuration = Meter.CreateHistogram<double>(
        "orleanssync.client.lock.acquire.duration",
        "s",
        "Time from asking for a lease (lock, semaphore, reader-writer lock, election) until it was granted, refused, timed out or cancelled.");

    /// <summary>Records one acquisition attempt and how it ended: granted, refused, timed_out or cancelled.</summary>
    internal static void AcquireEnded(TimeSpan elapsed, string outcome) =>
        AcquireDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}
