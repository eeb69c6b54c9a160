using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <summary>
/// A held lock, semaphore ticket, read or write lock, or leadership. It renews its lease in the background and
/// cancels <see cref="HandleLostToken"/> the moment renewal is refused or the lease runs out unrenewed.
/// <c>await using</c> releases it.
/// </summary>
public sealed partial class LeaseHandle : IAsyncDisposable
{
    // Cheap on the uncontended path (acquire, release): one timer for renewal and nothing else until the caller
    // looks at HandleLostToken. The loss deadline is kept as a timestamp and becomes a timed cancellation source
    // only on demand; a release stops the timer without throwing (no cancelled delay, no exception per cycle).
    private readonly ILeaseGrain _grain;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _renewalInterval;
    private readonly Lock _gate = new();
    private readonly ITimer? _renewalTimer;
    private CancellationTokenSource? _lost;
    private CancellationTokenSource? _renewing;
    private Task _renewal = Task.CompletedTask;
    private long _lossAt;
    private bool _lossKnown;
    private bool _stopped;
    private LeaseGrant _grant;
    private int _released;

    internal LeaseHandle(ILeaseGrain grain, LeaseGrant grant, long sentAt, LockOptions options, TimeProvider clock, ILogger logger)
    {
        _grain = grain;
        _grant = grant;
        _clock = clock;
        _logger = logger;
        _lease = options.Lease;
        _renewalInterval = options.EffectiveRenewalInterval;
        ArmLoss(sentAt, grant.Remaining);
        if (options.AutoRenew)
        {
            _renewalTimer = clock.CreateTimer(static state => ((LeaseHandle)state!).OnRenewalDue(), this, _renewalInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The lock name.</summary>
    public string Name => _grant.Name;

    /// <summary>The owner the lease was granted to.</summary>
    public string Owner => _grant.Owner;

    /// <summary>
    /// The fencing token: strictly increasing per name. Pass it to the resource you protect and have it reject
    /// tokens lower than the highest it has seen. For elections it is the leader's term.
    /// </summary>
    public long FencingToken => _grant.Token;

    /// <summary>When the lease ends unless renewed (server clock; updated by each renewal).</summary>
    public DateTimeOffset LeaseExpiresAt => Volatile.Read(ref _grant).ExpiresAt;

    /// <summary>Cancelled as soon as the lease is known lost: a renewal was refused, or the lease ran out unrenewed (local clock, conservatively).</summary>
    public CancellationToken HandleLostToken => LossSource().Token;

    /// <summary>Whether <see cref="HandleLostToken"/> has fired.</summary>
    public bool IsLost
    {
        get
        {
            lock (_gate)
            {
                return _lost is { } lost ? lost.IsCancellationRequested : _lossKnown || (!_stopped && _clock.GetTimestamp() >= _lossAt);
            }
        }
    }

    /// <summary>Renews the lease now (the background renewal also does).</summary>
    /// <exception cref="LockTokenMismatchException">The lease is no longer held; <see cref="HandleLostToken"/> is cancelled.</exception>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        var sentAt = _clock.GetTimestamp();
        var grant = await _grain.Renew(_grant.Token, _lease).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (grant is null)
        {
            MarkLost();
            throw new LockTokenMismatchException(Name, FencingToken);
        }

        Volatile.Write(ref _grant, grant);
        ArmLoss(sentAt, grant.Remaining);
    }

    /// <summary>Stops renewal and releases the lease, handing it to the next waiter.</summary>
    /// <exception cref="LockTokenMismatchException">The token no longer held the lease (it expired, was handed over or was already released).</exception>
    public async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        Task renewal;
        lock (_gate)
        {
            // From here on no renewal starts and the loss deadline no longer fires.
            _stopped = true;
            renewal = _renewal;
            _renewing?.Cancel();
            _lost?.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        _renewalTimer?.Dispose();
        await renewal.ConfigureAwait(false);
        var released = await LeaseCalls.RetryAsync(() => _grain.Release(_grant.Token), CancellationToken.None).ConfigureAwait(false);
        if (!released)
        {
            throw new LockTokenMismatchException(Name, FencingToken);
        }
    }

    /// <summary>Releases the lease; a lease already lost or a failing cluster is logged, not thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LockTokenMismatchException || LeaseCalls.IsTransient(ex))
        {
            LogReleaseFailed(_logger, Name, FencingToken, ex.Message);
        }
    }

    /// <summary>Timer callback: starts one background renewal unless the handle was released.</summary>
    private void OnRenewalDue()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _renewing = new CancellationTokenSource();
            _renewal = RenewInBackgroundAsync(_renewing.Token);
        }
    }

    /// <summary>One renewal, then re-arms the timer; never throws (a failure is logged and the loss deadline stands).</summary>
    private async Task RenewInBackgroundAsync(CancellationToken stop)
    {
        // Leave the timer callback (and the lock it holds) before the grain call.
        await Task.Yield();
        var next = _renewalInterval;
        try
        {
            await RenewAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (LockTokenMismatchException)
        {
            LogLost(_logger, Name, FencingToken);
            return;
        }
        catch (Exception ex) when (LeaseCalls.IsTransient(ex))
        {
            // The loss deadline fires at local expiry if the cluster stays unreachable; until then keep trying.
            LogRenewFailed(_logger, Name, FencingToken, ex.Message);
            if (IsLost)
            {
                return;
            }

            next = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, _renewalInterval.Ticks / 4));
        }
#pragma warning disable CA1031 // a background renewal has nobody to throw to: log it; the loss deadline tells the holder
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRenewFailed(_logger, Name, FencingToken, ex.Message);
            return;
        }

        lock (_gate)
        {
            if (!_stopped)
            {
                _renewalTimer?.Change(next, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The loss deadline becomes <paramref name="sentAt"/> + <paramref name="remaining"/>: never later than the server's expiry.</summary>
    private void ArmLoss(long sentAt, TimeSpan remaining)
    {
        var lossAt = sentAt + (long)(remaining.TotalSeconds * _clock.TimestampFrequency);
        bool passed;
        lock (_gate)
        {
            if (_stopped || _lossKnown)
            {
                return;
            }

            _lossAt = lossAt;
            passed = !ArmSource();
        }

        if (passed)
        {
            MarkLost();
        }
    }

    /// <summary>The cancellation source behind <see cref="HandleLostToken"/>, created and armed on first use.</summary>
    private CancellationTokenSource LossSource()
    {
        lock (_gate)
        {
            if (_lost is null)
            {
                _lost = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _clock);
                if (_lossKnown)
                {
                    _lost.Cancel();
                }
                else if (!_stopped && !ArmSource())
                {
                    // Nobody can have registered on a source this new: cancelling under the gate runs no callbacks.
                    _lost.Cancel();
                }
            }

            return _lost;
        }
    }

    /// <summary>
    /// Under the gate: makes an existing source fire at the loss deadline. False when the deadline has passed (the
    /// caller cancels, outside the gate when callbacks may be registered).
    /// </summary>
    private bool ArmSource()
    {
        var left = _clock.GetElapsedTime(_clock.GetTimestamp(), _lossAt);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        _lost?.CancelAfter(left);
        return true;
    }

    private void MarkLost()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            _lossKnown = true;
            lost = _lost;
        }

        // Outside the gate: callbacks registered on the token run synchronously here.
        try
        {
            lost?.Cancel();
        }
        catch (AggregateException ex)
        {
            Debug.Fail(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Name} (token {Token}) was lost: the cluster refused its renewal")]
    private static partial void LogLost(ILogger logger, string name, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Name} (token {Token}): renewal failed ({Reason}); retrying")]
    private static partial void LogRenewFailed(ILogger logger, string name, long token, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Name} (token {Token}): release answered {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string name, long token, string reason);
}
