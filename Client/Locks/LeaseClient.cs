using Microsoft.Extensions.Logging;
using OrleansSync.Locks;
using OrleansSync.Naming;

namespace OrleansSync.Client.Locks;

/// <summary>
/// The acquire loop shared by every lease service: one <see cref="ILeaseGrain.Acquire"/>, then bounded
/// <see cref="ILeaseGrain.WaitForGrant"/> calls (each re-registers presence) until granted, the timeout passes or the
/// caller cancels — then <see cref="ILeaseGrain.Cancel"/> withdraws the request.
/// </summary>
internal sealed class LeaseClient(IGrainFactory grains, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<LeaseHandle>();

    public IGrainFactory Grains => grains;

    /// <summary>Longest single <see cref="ILeaseGrain.WaitForGrant"/> call; tests shorten it to exercise the loop.</summary>
    internal TimeSpan MaxWaitPerCall { get; set; } = LeaseLimits.MaxGrainWait;

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

        try
        {
            var sentAt = clock.GetTimestamp();
            var result = await LeaseCalls.RetryAsync(() => grain.Acquire(request), cancellationToken).ConfigureAwait(false);
            if (result.Status == LeaseAcquireStatus.Queued)
            {
                OnQueued?.Invoke(request);
            }

            while (true)
            {
                switch (result.Status)
                {
                    case LeaseAcquireStatus.Granted:
                        return new LeaseHandle(grain, result.Grant!, sentAt, options, clock, _logger);
                    case LeaseAcquireStatus.Refused:
                        return null;
                }

                var remaining = infinite ? MaxWaitPerCall : timeout - clock.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    await WithdrawAsync(grain, request.RequestId).ConfigureAwait(false);
                    return null;
                }

                sentAt = clock.GetTimestamp();
                result = result.Status == LeaseAcquireStatus.Unknown
                    ? await LeaseCalls.RetryAsync(() => grain.Acquire(request), cancellationToken).ConfigureAwait(false)
                    : await LeaseCalls.RetryAsync(() => grain.WaitForGrant(request.RequestId, Min(remaining, MaxWaitPerCall), cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await WithdrawAsync(grain, request.RequestId).ConfigureAwait(false);
            throw new OperationCanceledException(cancellationToken);
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

    private static async Task WithdrawAsync(ILeaseGrain grain, Guid requestId)
    {
        // Removes the waiter, or releases a grant that raced with the timeout or the cancellation.
        await LeaseCalls.RetryAsync(() => grain.Cancel(requestId), CancellationToken.None).ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
