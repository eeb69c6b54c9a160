using System.Diagnostics;

namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// A write the primary ordered and is waiting to see held by <see cref="Needed"/> copies, the primary always among them
/// (so a read at the primary sees every acknowledged write).
/// </summary>
/// <param name="change">The write, with its version.</param>
/// <param name="needed">Copies that must hold it.</param>
/// <param name="batch">The call's batch it settles with, if it came in one (<see cref="PrimaryRole.WriteManyAsync"/>).</param>
internal sealed class PendingWrite(ReplicaChange change, int needed, PendingBatch? batch)
{
    private bool _local;
    private int _backups;

    public ReplicaChange Change { get; } = change;

    public int Needed { get; } = needed;

    /// <summary>When the primary ordered it (<see cref="Stopwatch.GetTimestamp"/>), for <see cref="ReplicationMetrics"/>.</summary>
    public long OrderedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>Copies known to hold it durably.</summary>
    public int Acks => (_local ? 1 : 0) + _backups;

    public TaskCompletionSource<ReplicaWriteStatus> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The primary stored it; true when that completed the write.</summary>
    public bool AckLocal()
    {
        _local = true;
        return TryComplete();
    }

    /// <summary>One more backup stored it; true when that completed the write.</summary>
    public bool AckBackup()
    {
        _backups++;
        return TryComplete();
    }

    /// <summary>It can no longer be acknowledged (the primary was deposed); it may or may not survive.</summary>
    public void Fail() => Settle(ReplicaWriteStatus.Unavailable);

    private bool TryComplete() => _local && Acks >= Needed && Settle(ReplicaWriteStatus.Ok);

    private bool Settle(ReplicaWriteStatus status)
    {
        if (!Done.TrySetResult(status))
        {
            return false;
        }

        batch?.Settle();
        return true;
    }
}
