namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// A wake-up flag for a pump loop running on a grain's scheduler: <see cref="Set"/> wakes the waiter (or makes its next
/// wait return at once). Loops re-check their work after every wake, so coalesced sets lose nothing.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => _signal.TrySetResult();

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _signal.Task.WaitAsync(cancellationToken);
        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
