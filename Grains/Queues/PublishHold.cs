namespace OrleansSync.Queues;

/// <summary>
/// The publish hold of one partition (<see cref="QueueOptions.MaxConsumerLag"/>): holds publish answers while the last
/// look found a consumed group too far behind, looking again every <see cref="LookEvery"/> while anyone is held.
/// </summary>
/// <remarks>
/// One look serves every publish of its moment, so a burst of publishes costs one round of calls to the groups, not
/// one per publish. A publish that finds the last look good and younger than <see cref="TrustGoodLookFor"/> is answered
/// at once (starting a new look for the next if it is older than <see cref="LookEvery"/>): the overshoot is bounded by
/// what arrives in that time, and the common case (consumers keeping up, publishes flowing) adds no wait. Runs on its grain's scheduler, like the grain's own fields.
/// </remarks>
internal sealed class PublishHold(Func<Task<bool>> consumersWithinBound, TimeProvider time)
{
    /// <summary>How old a look may be before the next publish asks the groups again.</summary>
    public static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How old a good look may be and still answer a publish at once. Past it (a partition quiet for a while, or its
    /// first publish) the publish waits for the new look: an old good look says nothing about a burst since.
    /// </summary>
    public static readonly TimeSpan TrustGoodLookFor = 4 * LookEvery;

    private Task _looking = Task.CompletedTask;
    private DateTimeOffset _lookedAt = DateTimeOffset.MinValue;
    private bool _withinBound = true;

    /// <summary>
    /// Completes once a look finds the consumed groups within bound, or after <paramref name="longest"/>; answers how long
    /// it held (zero when the last look was good).
    /// </summary>
    /// <param name="longest">The most it holds.</param>
    public async Task<TimeSpan> WaitAsync(TimeSpan longest)
    {
        var start = time.GetUtcNow();
        while (true)
        {
            if (time.GetUtcNow() - _lookedAt >= LookEvery && _looking.IsCompleted)
            {
                _looking = LookAsync();
            }

            if (_withinBound && time.GetUtcNow() - _lookedAt < TrustGoodLookFor)
            {
                return time.GetUtcNow() - start;
            }

            await _looking;
            if (_withinBound)
            {
                return time.GetUtcNow() - start;
            }

            var left = start + longest - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return time.GetUtcNow() - start;
            }

            await Task.Delay(left < LookEvery ? left : LookEvery, time);
        }
    }

    private async Task LookAsync()
    {
        _withinBound = await consumersWithinBound();
        _lookedAt = time.GetUtcNow();
    }
}
