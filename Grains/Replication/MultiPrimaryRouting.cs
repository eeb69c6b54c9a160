using Microsoft.Extensions.Logging;
using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Replication;

/// <summary>
/// Serves the generic replica-group operations of a multi-primary group on its <see cref="IMultiPrimaryCopyGrain"/>
/// copies: a value is an LWW register per key, any copy takes a write, and consistency levels become copy counts
/// (one = 1, majority = ⌊N/2⌋+1, all = N). A multi-primary group has no single order of writes, so a key's version is
/// its register's hybrid-logical-clock stamp packed into a number (<see cref="VersionOf"/>), conditional writes are
/// refused, <c>read=primary</c> reads a majority, and the change feed is ordered per key only (see
/// <see cref="ReadChangesAsync"/>).
/// </summary>
internal static class MultiPrimaryRouting
{
    /// <summary>How long the group waits for one copy (a copy itself waits up to its peer timeout for acks).</summary>
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Status of every copy: reachable copies all accept writes (role primary); lag 1 = its content differs from most copies (anti-entropy has not caught up yet).</summary>
    public static async Task<ReplicaGroupStatus> StatusAsync(IGrainFactory grains, string group, ReplicaGroupState config, CancellationToken cancellationToken)
    {
        var calls = Enumerable.Range(0, config.Replicas).Select(async i =>
        {
            try
            {
                return await Copy(grains, group, i).GetStatus(config.Replicas).WaitAsync(CopyTimeout, cancellationToken);
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                return null;
            }
        });
        var statuses = await Task.WhenAll(calls);
        var commonDigest = statuses.Where(s => s is not null).GroupBy(s => s!.Digest).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var copies = statuses.Select((s, i) => s is null
            ? new ReplicaCopyStatus(i, null, ReplicaRole.Unreachable, 0, 0, 0)
            : new ReplicaCopyStatus(i, s.Silo, ReplicaRole.Primary, s.Keys, s.Digest == commonDigest ? 0 : 1, config.Epoch)).ToList();
        var answered = copies.Count(c => c.Silo is not null);
        var silos = copies.Where(c => c.Silo is not null).Select(c => c.Silo).Distinct(StringComparer.Ordinal).Count();
        return new ReplicaGroupStatus(group, ReplicationMode.MultiPrimary, config.Epoch, config.Replicas, config.Primary, silos == answered, copies);
    }

    /// <summary>Sets (value not null) or deletes the key's register through the first copy that answers, starting at a random one.</summary>
    /// <exception cref="ArgumentException"><paramref name="expectedVersion"/> is given: multi-primary writes cannot be conditional.</exception>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or too few copies held the write.</exception>
    public static Task<ReplicaWriteResult> WriteAsync(
        IGrainFactory grains, string group, int replicas, string key, byte[]? value, WriteConsistency write, long? expectedVersion, ILogger logger, CancellationToken cancellationToken)
    {
        if (expectedVersion is not null)
        {
            throw new ArgumentException(
                $"Replica group '{group}' is multi-primary: every copy accepts writes and conflicts merge, so a write cannot be conditional on a version.",
                nameof(expectedVersion));
        }

        var acks = new MultiPrimaryWrite(replicas, Count(write, replicas));
        return OnAnyCopyAsync(grains, group, replicas, logger, async copy =>
        {
            var result = value is null ? await copy.Delete(key, acks) : await copy.Set(key, value, acks);
            return new ReplicaWriteResult(VersionOf(result.Timestamp), result.Acks);
        }, cancellationToken);
    }

    /// <summary>Reads the key's register merged over 1 (any) or a majority (majority, primary) of copies.</summary>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or fewer copies than asked for.</exception>
    public static Task<ReplicaReadResult> ReadAsync(
        IGrainFactory grains, string group, int replicas, string key, ReadConsistency read, ILogger logger, CancellationToken cancellationToken)
    {
        return OnAnyCopyAsync(grains, group, replicas, logger, async copy =>
        {
            var result = await copy.Get(key, ReadOf(read, replicas));
            return result.Value is null
                ? new ReplicaReadResult(false, null, VersionOf(result.Timestamp))
                : new ReplicaReadResult(true, result.Value, VersionOf(result.Timestamp));
        }, cancellationToken);
    }

    /// <summary>Adds <paramref name="delta"/> to the key's counter through the first copy that answers.</summary>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or too few copies held the change.</exception>
    public static Task<ReplicaWriteResult> AddToCounterAsync(
        IGrainFactory grains, string group, int replicas, string key, long delta, WriteConsistency write, ILogger logger, CancellationToken cancellationToken)
    {
        var acks = new MultiPrimaryWrite(replicas, Count(write, replicas));
        return OnAnyCopyAsync(grains, group, replicas, logger, async copy =>
        {
            var result = delta > 0 ? await copy.Increment(key, delta, acks) : await copy.Decrement(key, -delta, acks);
            return new ReplicaWriteResult(VersionOf(result.Timestamp), result.Acks);
        }, cancellationToken);
    }

    /// <summary>Reads the key's counter merged over 1 (any) or a majority of copies.</summary>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or fewer copies than asked for.</exception>
    public static Task<long> GetCounterAsync(
        IGrainFactory grains, string group, int replicas, string key, ReadConsistency read, ILogger logger, CancellationToken cancellationToken) =>
        OnAnyCopyAsync(grains, group, replicas, logger, async copy => (await copy.GetCounter(key, ReadOf(read, replicas))).Value, cancellationToken);

    /// <summary>Adds or removes set elements through the first copy that answers.</summary>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or too few copies held the change.</exception>
    public static Task<ReplicaWriteResult> UpdateSetAsync(
        IGrainFactory grains, string group, int replicas, string key, IReadOnlyList<string> elements, bool remove, WriteConsistency write, ILogger logger, CancellationToken cancellationToken)
    {
        var acks = new MultiPrimaryWrite(replicas, Count(write, replicas));
        return OnAnyCopyAsync(grains, group, replicas, logger, async copy =>
        {
            var result = remove ? await copy.RemoveElements(key, elements, acks) : await copy.AddElements(key, elements, acks);
            return new ReplicaWriteResult(VersionOf(result.Timestamp), result.Acks);
        }, cancellationToken);
    }

    /// <summary>Reads the key's set merged over 1 (any) or a majority of copies.</summary>
    /// <exception cref="ReplicaUnavailableException">No copy answered, or fewer copies than asked for.</exception>
    public static Task<IReadOnlyList<string>> GetSetAsync(
        IGrainFactory grains, string group, int replicas, string key, ReadConsistency read, ILogger logger, CancellationToken cancellationToken) =>
        OnAnyCopyAsync(grains, group, replicas, logger, async copy => (await copy.GetSet(key, ReadOf(read, replicas))).Elements, cancellationToken);

    /// <summary>
    /// A change-feed page: the registers written after <paramref name="afterVersion"/> on the first majority of copies to
    /// answer, merged per key (the newer write wins, as in the register) and cut where the first full copy page ends, so the page is
    /// complete up to its <see cref="ReplicaChangePage.CommittedVersion"/>: every write acknowledged at majority before
    /// the read is on at least one of the copies read.
    /// </summary>
    /// <exception cref="ReplicaUnavailableException">Fewer than a majority of copies answered.</exception>
    public static async Task<ReplicaChangePage> ReadChangesAsync(
        IGrainFactory grains, string group, int replicas, long afterVersion, int max, ILogger logger, CancellationToken cancellationToken)
    {
        var majority = (replicas / 2) + 1;
        var pending = Enumerable.Range(0, replicas).Select(async index =>
        {
            try
            {
                return await Copy(grains, group, index).ReadRegisterChanges(replicas, afterVersion, max).WaitAsync(CopyTimeout, cancellationToken);
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                ReplicaLog.CopyUnreachable(logger, ex, group, index);
                return null;
            }
        }).ToList();
        var pages = new List<ReplicaChangePage>();
        while (pages.Count < majority && pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (await done is { } page)
            {
                pages.Add(page);
            }
        }

        if (pages.Count < majority)
        {
            throw new ReplicaUnavailableException($"Only {pages.Count} of {replicas} copies of replica group '{group}' answered; a majority is {majority}.");
        }

        var more = pages.Any(p => p.More);
        var cut = more ? pages.Where(p => p.More).Min(p => p.CommittedVersion) : long.MaxValue;
        var latest = new Dictionary<string, ReplicaChange>(StringComparer.Ordinal);
        foreach (var change in pages.SelectMany(p => p.Changes).Where(c => c.Version <= cut))
        {
            if (!latest.TryGetValue(change.Key, out var seen) || change.IsNewerThan(seen))
            {
                latest[change.Key] = change;
            }
        }

        var changes = latest.Values.OrderBy(c => c.Version).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var complete = more ? cut : changes.Count == 0 ? afterVersion : changes[^1].Version;
        return new ReplicaChangePage(changes, complete, Sequenced: false, More: more);
    }

    /// <summary>
    /// A register stamp as a number that orders writes of one key: milliseconds × 65,536 + logical counter (capped),
    /// so a later write always has a larger version; node ids only break exact ties and are not part of it.
    /// </summary>
    public static long VersionOf(HlcTimestamp timestamp) =>
        (timestamp.WallTimeMs * 65_536) + Math.Clamp(timestamp.Logical, 0, 65_535);

    private static MultiPrimaryRead ReadOf(ReadConsistency read, int replicas) =>
        new(replicas, read == ReadConsistency.Any ? 1 : (replicas / 2) + 1);

    private static int Count(WriteConsistency write, int replicas) => write switch
    {
        WriteConsistency.One => 1,
        WriteConsistency.All => replicas,
        _ => (replicas / 2) + 1,
    };

    private static async Task<T> OnAnyCopyAsync<T>(
        IGrainFactory grains, string group, int replicas, ILogger logger, Func<IMultiPrimaryCopyGrain, Task<T>> call, CancellationToken cancellationToken)
    {
        var start = Random.Shared.Next(replicas);
        Exception? last = null;
        for (var n = 0; n < replicas; n++)
        {
            var index = (start + n) % replicas;
            try
            {
                return await call(Copy(grains, group, index)).WaitAsync(CopyTimeout, cancellationToken);
            }
            catch (InsufficientCopiesException ex)
            {
                throw new ReplicaUnavailableException(ex.Message, ex);
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                last = ex;
                ReplicaLog.CopyUnreachable(logger, ex, group, index);
            }
        }

        throw new ReplicaUnavailableException($"No copy of multi-primary replica group '{group}' answered.", last!);
    }

    private static IMultiPrimaryCopyGrain Copy(IGrainFactory grains, string group, int index) =>
        grains.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, index));
}
