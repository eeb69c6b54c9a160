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
    private readonly ILeaseGrain _grain;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _renewalInterval;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
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
        _lost = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        ArmLoss(sentAt, grant.Remaining);
        _renewal = options.AutoRenew ? RenewLoopAsync() : Task.CompletedTask;
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
    public CancellationToken HandleLostToken => _lost.Token;

    /// <summary>Whether <see cref="HandleLostToken"/> has fired.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Renews the lease now (the background loop also does).</summary>
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

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        _lost.CancelAfter(Timeout.InfiniteTimeSpan);
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
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task RenewLoopAsync()
    {
        var delay = _renewalInterval;
        while (true)
        {
            try
            {
                await Task.Delay(delay, _clock, _stop.Token).ConfigureAwait(false);
                await RenewAsync(_stop.Token).ConfigureAwait(false);
                delay = _renewalInterval;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
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
                // The loss timer fires at local expiry if the cluster stays unreachable; until then keep trying.
                LogRenewFailed(_logger, Name, FencingToken, ex.Message);
                delay = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, _renewalInterval.Ticks / 4));
                if (IsLost)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Cancels <see cref="HandleLostToken"/> at <paramref name="sentAt"/> + <paramref name="remaining"/>: never later than the server's expiry.</summary>
    private void ArmLoss(long sentAt, TimeSpan remaining)
    {
        var left = remaining - _clock.GetElapsedTime(sentAt);
        try
        {
            if (left <= TimeSpan.Zero)
            {
                MarkLost();
            }
            else
            {
                _lost.CancelAfter(left);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
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
