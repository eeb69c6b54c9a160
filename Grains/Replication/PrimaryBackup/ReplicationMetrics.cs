using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// Histograms of the primary-backup write path, in milliseconds, on meter <see cref="MeterName"/> (read them with
/// <c>dotnet-counters monitor --counters OrleansSync.Replication -p PID</c> or any metrics exporter). They split a
/// write's time at the primary into its parts, so a slow path shows which part is slow: waiting for a store batch,
/// the copy's gate, the store call (one PostgreSQL round trip and commit), the backup call, the whole acknowledgement.
/// Recording is a no-op when nobody listens.
/// </summary>
internal static class ReplicationMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "OrleansSync.Replication";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>From a write being ordered at the primary until its local store batch starts.</summary>
    public static readonly Histogram<double> StoreQueueWait = Meter.CreateHistogram<double>(
        "orleanssync.replication.store.queue_wait", "ms", "Time a write waits at the primary before its local store batch starts.");

    /// <summary>Waiting for the copy's gate (store or epoch changes of the same copy) before a batch is stored.</summary>
    public static readonly Histogram<double> GateWait = Meter.CreateHistogram<double>(
        "orleanssync.replication.store.gate_wait", "ms", "Time a batch waits for its copy's gate.");

    /// <summary>One store call for a batch: for PostgreSQL one statement, its round trip and commit.</summary>
    public static readonly Histogram<double> StoreApply = Meter.CreateHistogram<double>(
        "orleanssync.replication.store.apply", "ms", "Duration of storing one batch in the copy's store.");

    /// <summary>Writes per stored batch (primary and backups).</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "orleanssync.replication.store.batch_size", "{write}", "Writes per stored batch.");

    /// <summary>From a write being ordered until a batch carrying it is sent to a backup.</summary>
    public static readonly Histogram<double> BackupQueueWait = Meter.CreateHistogram<double>(
        "orleanssync.replication.backup.queue_wait", "ms", "Time a write waits at the primary before a batch to a backup carries it.");

    /// <summary>The primary's call sending one batch to a backup, until the backup answers (hops and the backup's store).</summary>
    public static readonly Histogram<double> BackupRoundTrip = Meter.CreateHistogram<double>(
        "orleanssync.replication.backup.round_trip", "ms", "Round trip of one batch sent to a backup.");

    /// <summary>From a write being ordered at the primary until enough copies hold it (or it fails).</summary>
    public static readonly Histogram<double> WriteAck = Meter.CreateHistogram<double>(
        "orleanssync.replication.write.ack", "ms", "Time from ordering a write at the primary to its acknowledgement.");

    /// <summary>
    /// A write call to the primary (the primary's part plus one hop each way), from the group grain or from a silo's write
    /// entry (<see cref="IReplicaWriteEntryGrain"/>), which skips the group for writes at majority or all.
    /// </summary>
    public static readonly Histogram<double> GroupToPrimary = Meter.CreateHistogram<double>(
        "orleanssync.replication.group.primary_call", "ms", "Round trip of a write call to the primary copy, from the group grain or a write entry.");

    /// <summary>Milliseconds from <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) to now.</summary>
    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
