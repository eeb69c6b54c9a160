namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>A write the primary ordered and is waiting to see held by <see cref="Needed"/> copies.</summary>
internal sealed class PendingWrite(ReplicaChange change, int needed)
{
    public ReplicaChange Change { get; } = change;

    public int Needed { get; } = needed;

    public int Acks { get; private set; }

    public TaskCompletionSource<ReplicaWriteStatus> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Counts one more copy; true when that reached <see cref="Needed"/>.</summary>
    public bool Ack()
    {
        Acks++;
        return Acks >= Needed && Done.TrySetResult(ReplicaWriteStatus.Ok);
    }
}
