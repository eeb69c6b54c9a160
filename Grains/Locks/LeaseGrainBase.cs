using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansSync.Naming;

namespace OrleansSync.Locks;

/// <summary>
/// The lease protocol on top of <see cref="LeaseBook"/>. Every mutation runs in a normal (non-interleaved) turn and is
/// written with the storage ETag before anyone hears of it; <see cref="WaitForGrant"/> interleaves and only awaits the
/// push (a <see cref="TaskCompletionSource{TResult}"/> completed after the grant is durable). A grain timer set for the
/// earliest lease expiry hands expired leases to the next waiter.
/// </summary>
/// <remarks>
/// A release that hands the name to nobody is answered without a write (see <see cref="LeaseBook"/>): the grant it
/// ends is already durable, and storage that still lists it only makes a new activation wait for its lease. The same
/// timer writes such a release <see cref="ReleaseWriteDelay"/> later unless a grant's write has covered it first, and
/// deactivation writes it, so only a crash inside that window leaves the released lease to run out.
/// </remarks>
internal abstract partial class LeaseGrainBase : Grain, ILeaseGrain
{
    /// <summary>A waiter with no pending wait call for this long counts as dead and is skipped.</summary>
    internal static readonly TimeSpan WaiterGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a waiter has to claim a grant handed to it before the grant ends (see <see cref="ILeaseGrain.Claim"/>).</summary>
    internal static readonly TimeSpan ClaimWindow = TimeSpan.FromSeconds(5);

    /// <summary>How long a release that handed over to nobody may stay unwritten (a grant's write covers it sooner).</summary>
    internal static readonly TimeSpan ReleaseWriteDelay = TimeSpan.FromSeconds(1);

    private readonly IPersistentState<LeaseState> _state;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<Guid, TaskCompletionSource<LeaseHolder?>> _signals = [];
    private LeaseBook _book = null!;
    private IGrainTimer? _expiryTimer;
    private DateTimeOffset? _releaseWriteDue;
    private Exception? _broken;
    private long _countedToken;
    private int _countedExpired;
    private int _countedUnclaimed;

    protected LeaseGrainBase(IPersistentState<LeaseState> state, TimeProvider clock, ILogger logger)
    {
        _state = state;
        _clock = clock;
        _logger = logger;
    }

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = _state.State;
        _book = new LeaseBook(_clock, WaiterGrace, s.LastToken, s.Limit, s.Holders, ClaimWindow);
        _countedToken = s.LastToken;
        ScheduleExpiry();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Pending waits answer Unknown; their clients re-register with the next activation.
        foreach (var signal in _signals.Values)
        {
            signal.TrySetResult(null);
        }

        _signals.Clear();
        _expiryTimer?.Dispose();

        // A release not written yet would make the next activation wait for the released lease: write it now.
        if (_broken is null && _book.HasUnwrittenRelease)
        {
            try
            {
                CopyBookToState();
                await _state.WriteStateAsync(cancellationToken);
                _book.MarkClean();
            }
#pragma warning disable CA1031 // best effort: the grant it ends is durable, so failing here only delays the next grant until that lease ends
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogReleaseWriteFailed(_logger, Name, ex);
            }
        }
    }

    public async Task<LeaseAcquireResult> Acquire(LeaseRequest request)
    {
        ThrowIfBroken();
        ResourceName.Validate(Name, "name");
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestId == Guid.Empty)
        {
            throw new ArgumentException("requestId must not be empty.", nameof(request));
        }

        LeaseLimits.ValidateOwner(request.Owner, "owner");
        LeaseLimits.ValidateLease(request.Lease, "lease");
        LeaseDecision decision;
        try
        {
            decision = _book.Acquire(Normalize(request));
        }
        catch (ArgumentException)
        {
            // The book expired leases and handed over before it rejected the request: make that durable and push it.
            await Commit();
            throw;
        }

        if (decision.Status == LeaseAcquireStatus.Queued && !_signals.ContainsKey(request.RequestId))
        {
            _signals[request.RequestId] = new TaskCompletionSource<LeaseHolder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        await Commit();
        return decision.Status == LeaseAcquireStatus.Granted
            ? Granted(decision.Holder!)
            : new LeaseAcquireResult(decision.Status, null, decision.Position);
    }

    public async Task<LeaseAcquireResult> WaitForGrant(Guid requestId, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        if (maxWait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "maxWait must not be negative.");
        }

        if (maxWait > LeaseLimits.MaxGrainWait)
        {
            maxWait = LeaseLimits.MaxGrainWait;
        }

        if (_signals.TryGetValue(requestId, out var signal))
        {
            // Interleaved: only presence bookkeeping (memory) changes here, never durable state.
            _book.BeginWait(requestId);
            try
            {
                var holder = await signal.Task.WaitAsync(maxWait, _clock, cancellationToken);
                return holder is null ? Unknown() : Granted(holder);
            }
            catch (TimeoutException)
            {
                return new LeaseAcquireResult(LeaseAcquireStatus.Queued, null, _book.PositionOf(requestId));
            }
            finally
            {
                _book.EndWait(requestId);
            }
        }

        // No signal: either granted earlier (signals are removed only after the grant is durable) or unknown.
        return _book.FindByRequest(requestId) is { } granted ? Granted(granted) : Unknown();
    }

    public async Task<bool> Claim(long token)
    {
        ThrowIfBroken();
        var claimed = _book.Claim(token);

        // Claiming writes nothing (the persisted lease is the full one); the pump inside may have ended other leases.
        await Commit();
        return claimed;
    }

    public async Task<bool> Cancel(Guid requestId)
    {
        ThrowIfBroken();
        var known = _book.Cancel(requestId);
        await Commit();
        return known;
    }

    public async Task<LeaseGrant?> Renew(long token, TimeSpan lease)
    {
        ThrowIfBroken();
        LeaseLimits.ValidateLease(lease, "lease");
        var renewed = _book.Renew(token, lease);
        await Commit();
        return renewed is null ? null : ToGrant(renewed);
    }

    public async Task<bool> Release(long token)
    {
        ThrowIfBroken();
        var released = _book.Release(token);
        await Commit();
        return released;
    }

    public Task<LeaseInfo> Describe()
    {
        ThrowIfBroken();
        var holders = _book.ValidHolders().Select(h => new LeaseHolderInfo(h.Owner, h.Token, h.Mode, h.ExpiresAt)).ToList();
        return Task.FromResult(new LeaseInfo(Name, holders, _book.WaiterCount, _book.LastToken, Math.Max(1, _book.Limit)));
    }

    /// <summary>Checks the request against the kind of lease (mode and limit) and returns it with the limit to use.</summary>
    /// <exception cref="ArgumentException">A mode or limit this kind does not accept.</exception>
    protected abstract LeaseRequest Normalize(LeaseRequest request);

    private async Task OnExpiryTimer()
    {
        if (_broken is not null)
        {
            return;
        }

        _book.Pump();
        await Commit(writeRelease: _releaseWriteDue is { } due && due <= _clock.GetUtcNow());
    }

    /// <summary>
    /// Writes changes that must be durable (with the ETag), then pushes grants to their waiters and re-arms the timer.
    /// A release with no hand-off is written only when <paramref name="writeRelease"/> (or with the next write).
    /// </summary>
    private async Task Commit(bool writeRelease = false)
    {
        if (_book.IsDirty || (writeRelease && _book.HasUnwrittenRelease))
        {
            CopyBookToState();
            try
            {
                await _state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                // The ETag is stale (a duplicate activation) or unknown (a failed write): this activation's memory can
                // no longer be trusted. Fail everything and let a fresh activation re-read storage.
                _broken = ex;
                LockMetrics.WriteFailed(Kind);
                LogWriteFailed(_logger, Name, ex);
                foreach (var signal in _signals.Values)
                {
                    signal.TrySetException(new InconsistentStateException($"Lease '{Name}' could not be written; retry.", ex));
                }

                _signals.Clear();
                DeactivateOnIdle();
                throw;
            }

            _book.MarkClean();
            _releaseWriteDue = null;
        }
        else if (!_book.HasUnwrittenRelease)
        {
            // Nothing unwritten, or only releases whose leases have ended anyway: nothing to write later.
            _releaseWriteDue = null;
        }
        else
        {
            _releaseWriteDue ??= _clock.GetUtcNow() + ReleaseWriteDelay;
        }

        var handOffs = _book.TakeHandOffs();
        RecordMetrics(handOffs.Count);
        foreach (var holder in handOffs)
        {
            if (_signals.Remove(holder.RequestId, out var signal))
            {
                signal.TrySetResult(holder);
            }
        }

        foreach (var requestId in _book.TakeDropped())
        {
            if (_signals.Remove(requestId, out var signal))
            {
                signal.TrySetResult(null);
            }
        }

        ScheduleExpiry();
    }

    /// <summary>The lease kind in metrics: lock, rwlock, semaphore or election.</summary>
    protected abstract string Kind { get; }

    /// <summary>Counts what the book did since the last call: grants (made durable by now), expiries, unclaimed hand-offs.</summary>
    private void RecordMetrics(int handOffs)
    {
        var grants = (int)(_book.LastToken - _countedToken);
        _countedToken = _book.LastToken;
        if (grants > handOffs)
        {
            LockMetrics.Granted(Kind, handOff: false, grants - handOffs);
        }

        if (handOffs > 0)
        {
            LockMetrics.Granted(Kind, handOff: true, handOffs);
        }

        if (_book.ExpiredLeases > _countedExpired)
        {
            LockMetrics.Expired(Kind, _book.ExpiredLeases - _countedExpired);
            _countedExpired = _book.ExpiredLeases;
        }

        if (_book.UnclaimedHandOffs > _countedUnclaimed)
        {
            var unclaimed = _book.UnclaimedHandOffs - _countedUnclaimed;
            _countedUnclaimed = _book.UnclaimedHandOffs;
            LockMetrics.Unclaimed(Kind, unclaimed);
            LogUnclaimedHandOff(_logger, Name, unclaimed, ClaimWindow);
        }
    }

    private void CopyBookToState()
    {
        _state.State.LastToken = _book.LastToken;
        _state.State.Limit = _book.Limit;
        _state.State.Holders = [.. _book.Holders];
    }

    /// <summary>Arms the timer for the earliest lease expiry or the due write of a release, whichever comes first.</summary>
    private void ScheduleExpiry()
    {
        var expiry = _book.NextExpiry();
        if (_releaseWriteDue is { } releaseDue && (expiry is null || releaseDue < expiry))
        {
            expiry = releaseDue;
        }

        if (expiry is null)
        {
            _expiryTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = expiry.Value - _clock.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        if (_expiryTimer is null)
        {
            _expiryTimer = this.RegisterGrainTimer(OnExpiryTimer, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _expiryTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private LeaseAcquireResult Granted(LeaseHolder holder) => new(LeaseAcquireStatus.Granted, ToGrant(holder), -1);

    private static LeaseAcquireResult Unknown() => new(LeaseAcquireStatus.Unknown, null, -1);

    private LeaseGrant ToGrant(LeaseHolder holder)
    {
        var remaining = holder.ExpiresAt - _clock.GetUtcNow();
        return new LeaseGrant(Name, holder.Owner, holder.Token, holder.Mode, holder.Lease, holder.ExpiresAt, remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, holder.RequestId, _book.ClaimDeadline(holder.Token));
    }

    private void ThrowIfBroken()
    {
        if (_broken is not null)
        {
            throw new InconsistentStateException($"Lease '{Name}' is deactivating after a failed storage write; retry.", _broken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Name}: storage write failed; deactivating so the next call re-reads storage")]
    private static partial void LogWriteFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Name}: {Count} grant(s) handed to waiters were not claimed within {Window}; their waiters count as gone and the name moves on")]
    private static partial void LogUnclaimedHandOff(ILogger logger, string name, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Name}: writing a release on deactivation failed; the next activation waits for that lease to end")]
    private static partial void LogReleaseWriteFailed(ILogger logger, string name, Exception exception);
}
