namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// A wake-up flag for a pump loop running on a grain's scheduler: <see cref="Set"/> wakes the waiter (or makes its next
/// wait return at once). Loops re-check their work after every wake, so coalesced sets lose nothing.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => _signal.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Waits for <see cref="Set"/> at most <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit);
    /// a timeout returns normally, without an exception, and the loop re-checks its work.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = _signal;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await signal.Task.WaitAsync(cancellationToken);
        }
        else if (!signal.Task.IsCompleted)
        {
            // A trailing backup waits like this many times a second: a timeout must not cost a thrown exception. A delay
            // outliving a set just fires unobserved (the timeouts are tens of milliseconds).
            await Task.WhenAny(signal.Task, Task.Delay(timeout, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (!signal.Task.IsCompleted)
            {
                return;
            }
        }

        // Only the waiter that saw this set consumes it: a wait that timed out earlier must not reset a later set.
        if (ReferenceEquals(_signal, signal))
        {
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
