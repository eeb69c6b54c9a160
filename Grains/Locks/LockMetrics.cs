using System.Diagnostics.Metrics;
using OrleansSync.Diagnostics;

namespace OrleansSync.Locks;

/// <summary>Lock, semaphore, reader-writer lock and election instruments; every one is tagged with the lease kind.</summary>
internal static class LockMetrics
{
    private static readonly Counter<long> Grants = OrleansSyncMeter.Meter.CreateCounter<long>(
        "orleanssync.lock.grants", "{grant}", "Leases granted (durable), by kind and whether the grant was pushed to a waiter.");

    private static readonly Counter<long> Expirations = OrleansSyncMeter.Meter.CreateCounter<long>(
        "orleanssync.lock.expirations", "{lease}", "Leases that ended because they ran out (holder gone or not renewed), not by release.");

    private static readonly Counter<long> UnclaimedHandOffs = OrleansSyncMeter.Meter.CreateCounter<long>(
        "orleanssync.lock.unclaimed_handoffs", "{grant}", "Grants pushed to a waiter that never claimed them (the waiter died while waiting).");

    private static readonly Counter<long> WriteFailures = OrleansSyncMeter.Meter.CreateCounter<long>(
        "orleanssync.lock.write_failures", "{write}", "Lease storage writes that failed (stale ETag or storage error); the grain deactivates.");

    public static void Granted(string kind, bool handOff, int count = 1) =>
        Grants.Add(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("handoff", handOff));

    public static void Expired(string kind, int count) => Expirations.Add(count, new KeyValuePair<string, object?>("kind", kind));

    public static void Unclaimed(string kind, int count) => UnclaimedHandOffs.Add(count, new KeyValuePair<string, object?>("kind", kind));

    public static void WriteFailed(string kind) => WriteFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
