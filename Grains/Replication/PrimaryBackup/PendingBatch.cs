namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// The writes of one <see cref="PrimaryRole.WriteManyAsync"/> call that the primary ordered, settled as a whole: each
/// <see cref="PendingWrite"/> counts itself off when it settles, and <see cref="Settled"/> completes once, after the last.
/// </summary>
/// <remarks>
/// A batch used to wait for its writes with <c>Task.WhenAll</c> over their completion sources. Those complete their
/// continuations asynchronously (so an acknowledgement never runs the waiter's code inside the primary's loops), which
/// for <c>WhenAll</c> means one thread-pool work item per write before the batch can answer: 32 per call at the
/// benchmark's load. Counting down here costs one work item per call. Everything runs on the copy grain's scheduler,
/// so the count needs no interlocking.
/// </remarks>
internal sealed class PendingBatch
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One for every write ordered and not settled yet, plus one until <see cref="Seal"/>.</summary>
    private int _unsettled = 1;

    /// <summary>Completes when every write ordered into the batch has settled (and the batch is sealed).</summary>
    public Task Settled => _settled.Task;

    /// <summary>A write joins the batch (before it can settle).</summary>
    public void Join() => _unsettled++;

    /// <summary>A write of the batch settled, acknowledged or failed.</summary>
    public void Settle() => CountDown();

    /// <summary>No more writes join: from now on the last one to settle completes the batch.</summary>
    public void Seal() => CountDown();

    private void CountDown()
    {
        if (--_unsettled == 0)
        {
            _settled.TrySetResult();
        }
    }
}
