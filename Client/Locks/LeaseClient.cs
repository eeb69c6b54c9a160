using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansSync.Client.Diagnostics;
using OrleansSync.Locks;
using OrleansSync.Naming;

namespace OrleansSync.Client.Locks;

/// <summary>
/// The acquire loop shared by every lease service: one <see cref="ILeaseGrain.Acquire"/>, then bounded
/// <see cref="ILeaseGrain.WaitForGrant"/> calls (each re-registers presence) until granted, the timeout passes or the
/// caller cancels — then <see cref="ILeaseGrain.Cancel"/> withdraws the request. Transient failures (a silo crash,
/// a grain moving) re-register the same request id (idempotent) until the wait is over.
/// </summary>
internal sealed partial class LeaseClient(
    IGrainFactory grains,
    TimeProvider clock,
    ILoggerFactory loggers,
    IOptions<ClientMessagingOptions>? messaging = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<LeaseHandle>();
    private readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> _grainTypes = new();

    public IGrainFactory Grains => grains;

    /// <summary>
    /// The grain of <paramref name="name"/> (validated). Resolves the grain and interface type once per interface:
    /// <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string)"/> reads the interface's attributes on
    /// every call, which showed up in profiles of short lock cycles.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid resource name.</exception>
    public TGrain GetGrain<TGrain>(string name)
        where TGrain : ILeaseGrain
    {
        ValidateName(name);
        var types = _grainTypes.GetOrAdd(typeof(TGrain), static (_, factory) =>
        {
            var probe = (GrainReference)(object)factory.GetGrain<TGrain>("type");
            return (probe.GrainId.Type, probe.InterfaceType);
        }, grains);
        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, name), types.Interface);
    }

    /// <summary>With an infinite timeout, how long the cluster may keep failing before the acquire gives up: 2 minutes.</summary>
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Longest single <see cref="ILeaseGrain.WaitForGrant"/> call: <see cref="LeaseLimits.MaxGrainWait"/>, or half the
    /// client's response timeout when that is shorter, so a wait never looks like a failed call. Tests shorten it.
    /// </summary>
    internal TimeSpan MaxWaitPerCall { get; set; } = MaxWaitFor(messaging?.Value.ResponseTimeout);

    /// <summary>Test hook: called when a request's first answer is "queued" (lets a checker verify FIFO service).</summary>
    internal Action<LeaseRequest>? OnQueued { get; set; }

    public async Task<LeaseHandle?> TryAcquireAsync(
        ILeaseGrain grain,
        LeaseMode mode,
        int limit,
        TimeSpan timeout,
        LockOptions? options,
        CancellationToken cancellationToken)
    {
        options ??= new LockOptions();
        cancellationToken.ThrowIfCancellationRequested();
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var started = clock.GetTimestamp();
        var request = new LeaseRequest(Guid.NewGuid(), options.Owner, mode, options.Lease, limit, Wait: timeout != TimeSpan.Zero);

        LeaseAcquireResult? result = null;
        var sentAt = started;
        var failures = 0;
        long firstFailure = 0;
        try
        {
            while (true)
            {
                if (result is not null)
                {
                    switch (result.Status)
                    {
                        case LeaseAcquireStatus.Granted when result.Grant!.ClaimBy is null || await ClaimAsync(grain, result.Grant).ConfigureAwait(false):
                            OrleansSyncClientMeter.AcquireEnded(clock.GetElapsedTime(started), "granted");
                            return new LeaseHandle(grain, result.Grant!, sentAt, options, clock, _logger);
                        case LeaseAcquireStatus.Granted:
                            // The hand-off ended before the claim reached the grain (or the claim failed): register
                            // again with the same request id, which returns the grant if it still stands.
                            result = new LeaseAcquireResult(LeaseAcquireStatus.Unknown, null, -1);
                            break;
                        case LeaseAcquireStatus.Refused:
                            OrleansSyncClientMeter.AcquireEnded(clock.GetElapsedTime(started), "refused");
                            return null;
                    }
                }

                var remaining = infinite ? MaxWaitPerCall : timeout - clock.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero && result is not null)
                {
                    await WithdrawAsync(grain, request.RequestId).ConfigureAwait(false);
                    OrleansSyncClientMeter.AcquireEnded(clock.GetElapsedTime(started), "timed_out");
                    return null;
                }

                sentAt = clock.GetTimestamp();
                try
                {
                    if (result is null || result.Status == LeaseAcquireStatus.Unknown)
                    {
                        var first = result is null;
                        result = await grain.Acquire(request).ConfigureAwait(false);
                        if (first && result.Status == LeaseAcquireStatus.Queued)
                        {
                            OnQueued?.Invoke(request);
                        }
                    }
                    else
                    {
                        result = await grain.WaitForGrant(request.RequestId, Min(remaining, MaxWaitPerCall), cancellationToken).ConfigureAwait(false);
                    }

                    failures = 0;
                }
                catch (Exception ex) when (LeaseCalls.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // The call may or may not have run and the grain may be moving (silo crash, duplicate activation):
                    // re-register with the same request id, which is idempotent, until the wait is over.
                    firstFailure = failures++ == 0 ? clock.GetTimestamp() : firstFailure;
                    var waitOver = infinite ? clock.GetElapsedTime(firstFailure) > GiveUpAfter : clock.GetElapsedTime(started) >= timeout;
                    if (failures >= 3 && waitOver)
                    {
                        throw;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(failures, 6))), clock, cancellationToken).ConfigureAwait(false);
                    result = result is null ? null : new LeaseAcquireResult(LeaseAcquireStatus.Unknown, null, -1);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await WithdrawAsync(grain, request.RequestId).ConfigureAwait(false);
            OrleansSyncClientMeter.AcquireEnded(clock.GetElapsedTime(started), "cancelled");
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Claims a grant handed to this waiter; false when it ended first or the claim could not be made.</summary>
    private async Task<bool> ClaimAsync(ILeaseGrain grain, LeaseGrant grant)
    {
        try
        {
            return await grain.Claim(grant.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (LeaseCalls.IsTransient(ex))
        {
            LogClaimFailed(_logger, grant.Name, grant.Token, ex.Message);
            return false;
        }
    }

    public static string ValidateName(string name) => ResourceName.Validate(name, nameof(name));

    /// <summary>Null means zero for TryAcquire (try once) and infinite for Acquire.</summary>
    public static TimeSpan ValidateTimeout(TimeSpan? timeout, TimeSpan whenNull)
    {
        var value = timeout ?? whenNull;
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), value, "timeout must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        return value;
    }

    private async Task WithdrawAsync(ILeaseGrain grain, Guid requestId)
    {
        // Removes the waiter, or releases a grant that raced with the timeout or the cancellation. Best effort: a
        // waiter that cannot be withdrawn stops waiting and is dropped by the grain after its grace period.
        try
        {
            await LeaseCalls.RetryAsync(() => grain.Cancel(requestId), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (LeaseCalls.IsTransient(ex))
        {
            LogWithdrawFailed(_logger, requestId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease request {RequestId} could not be withdrawn ({Reason}); the grain drops it as a dead waiter")]
    private static partial void LogWithdrawFailed(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Claiming {Name} token {Token} failed ({Reason}); registering again")]
    private static partial void LogClaimFailed(ILogger logger, string name, long token, string reason);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan MaxWaitFor(TimeSpan? responseTimeout) =>
        responseTimeout is { } timeout && timeout > TimeSpan.Zero ? Min(LeaseLimits.MaxGrainWait, timeout / 2) : LeaseLimits.MaxGrainWait;
}
