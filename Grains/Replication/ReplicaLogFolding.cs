using Microsoft.Extensions.Logging;

namespace OrleansSync.Replication;

/// <summary>
/// When one copy's logged batches are folded into its per-key rows (<see cref="PostgresReplicaStore"/>). The first batch
/// logged after a quiet spell starts a fold <see cref="PostgresReplicaStore.FoldDelay"/> later, so every batch logged in
/// between is folded by one statement; a fold that finds more logged behind it goes round again. A reader that needs
/// the per-key rows complete calls <see cref="FoldNowAsync"/>.
/// </summary>
/// <remarks>
/// Counts only what this silo logged: a copy's rows logged by another silo (before its grain moved here) are folded by
/// the load that every activation starts with. Folds of the same copy may overlap (a reader's and the background one);
/// the database serializes them on the log rows' locks. Once nothing is left to fold the instance retires, and the
/// store forgets it and starts a new one for the next batch, so a silo keeps no state for copies that stopped writing.
/// </remarks>
internal sealed partial class ReplicaLogFolding(
    Func<CancellationToken, Task> fold,
    Action<ReplicaLogFolding> retired,
    TimeSpan delay,
    ILogger logger,
    string group,
    int copy,
    CancellationToken stopping)
{
    /// <summary>The longest wait between attempts while folds keep failing (a database outage).</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private long _logged;
    private long _folded;
    private bool _running;
    private bool _retired;

    /// <summary>
    /// Notes one more batch logged for the copy (or perhaps logged: an insert whose answer was lost may have committed)
    /// and makes sure a fold will follow. False if this instance has retired: the caller notes the batch on a new one.
    /// </summary>
    public bool NoteLogged()
    {
        lock (_lock)
        {
            if (_retired)
            {
                return false;
            }

            _logged++;
            if (_running)
            {
                return true;
            }

            _running = true;
        }

        _ = FoldLaterAsync();
        return true;
    }

    /// <summary>Returns once every batch noted before the call is folded, folding now if one is not.</summary>
    public async Task FoldNowAsync(CancellationToken cancellationToken)
    {
        long target;
        lock (_lock)
        {
            target = _logged;
            if (_folded >= target)
            {
                return;
            }
        }

        await fold(cancellationToken).ConfigureAwait(false);
        Covered(target);
    }

    private async Task FoldLaterAsync()
    {
        var wait = delay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, stopping).ConfigureAwait(false);
                long target;
                lock (_lock)
                {
                    target = _logged;
                }

                await fold(stopping).ConfigureAwait(false);
                Covered(target);
                wait = delay;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The silo is stopping: what is left in the log is folded by the copy's next load.
                return;
            }
            catch (Exception ex)
            {
                // Nothing is lost while folds fail (the log rows stay) and readers fold for themselves; back off and retry.
                FoldFailed(logger, ex, group, copy, wait);
                wait = wait * 2 < MaxRetryDelay ? wait * 2 : MaxRetryDelay;
                continue;
            }

            lock (_lock)
            {
                if (_folded >= _logged)
                {
                    _running = false;
                    _retired = true;
                }
            }

            if (_retired)
            {
                retired(this);
                return;
            }
        }
    }

    private void Covered(long target)
    {
        lock (_lock)
        {
            _folded = Math.Max(_folded, target);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group}: folding copy {Copy}'s logged writes failed; retrying in {Delay}")]
    private static partial void FoldFailed(ILogger logger, Exception exception, string group, int copy, TimeSpan delay);
}
