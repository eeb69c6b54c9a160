using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansSync.Replication.PrimaryBackup;

namespace OrleansSync.Replication;

/// <inheritdoc cref="IReplicaWriteEntryGrain"/>
/// <remarks>
/// <para>
/// Holds only hints, so it can run on every silo at once and interleave its calls. A batch of valid writes at
/// <see cref="WriteConsistency.Majority"/> or <see cref="WriteConsistency.All"/> goes straight to the primary copy the
/// group named last (<see cref="IReplicaGroupGrain.GetWriteTarget"/>, kept per group), skipping the group grain's turn
/// on every call; anything else goes through the group grain as before.
/// </para>
/// <para>
/// A stale target is safe for those writes: a copy refuses a write sent for an epoch it is not primary of, and a deposed
/// primary that never heard of the failover cannot gather a majority, because the copies that elected the new primary
/// promised the newer epoch and refuse its batches. A write at <see cref="WriteConsistency.One"/> could be acknowledged
/// by such a primary alone, so it always goes through the group. Refused writes are sent through the group (it fails
/// over and retries, as for any write), and after a failed call the group's path is used for
/// <see cref="ThroughGroupFor"/>, so the group sees the failure itself and fails over.
/// </para>
/// </remarks>
[StatelessWorker]
[Reentrant]
internal sealed partial class ReplicaWriteEntryGrain(ILocalSiloDetails silo, ILogger<ReplicaWriteEntryGrain> logger) : Grain, IReplicaWriteEntryGrain
{
    /// <summary>How long writes go through the group grain after a call to the primary failed on its way.</summary>
    private static readonly TimeSpan ThroughGroupFor = TimeSpan.FromSeconds(10);

    /// <summary>Above this many remembered groups the targets are forgotten (asking again costs one call).</summary>
    private const int MaxTargets = 10_000;

    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);

    public Task<SiloAddress> GetSilo() => Task.FromResult(silo.SiloAddress);

    public async Task<IReadOnlyList<ReplicaWriteOutcome>> WriteBatch(string group, IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        var groupGrain = GrainFactory.GetGrain<IReplicaGroupGrain>(group);
        if (!GoesToPrimary(writes) || await TargetAsync(group, groupGrain) is not { } target)
        {
            return await groupGrain.WriteBatch(writes, cancellationToken);
        }

        IReadOnlyList<ReplicaCopyWriteOutcome> answers;
        try
        {
            var calledAt = Stopwatch.GetTimestamp();
            answers = await GrainFactory.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(group, target.Primary)).WriteBatch(target.Epoch, writes, cancellationToken);
            ReplicationMetrics.GroupToPrimary.Record(ReplicationMetrics.Since(calledAt));
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            ReplicaLog.CopyUnreachable(logger, ex, group, target.Primary);
            Remember(group, new Route(null, Environment.TickCount64 + (long)ThroughGroupFor.TotalMilliseconds));
            if (ex is TimeoutException timeout)
            {
                var unavailable = new ReplicaWriteOutcome(null, PrimaryCall.TimedOut(group, timeout));
                return [.. writes.Select(_ => unavailable)];
            }

            return await groupGrain.WriteBatch(writes, cancellationToken);
        }

        var outcomes = new ReplicaWriteOutcome[writes.Count];
        List<int>? refused = null;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (PrimaryCall.Outcome(group, writes[i], answers[i]) is { } outcome)
            {
                outcomes[i] = outcome;
            }
            else
            {
                (refused ??= []).Add(i);
            }
        }

        if (refused is not null)
        {
            LogTargetRefused(group, target.Primary, target.Epoch, refused.Count);
            _routes.Remove(group);
            var retried = await groupGrain.WriteBatch(refused.ConvertAll(i => writes[i]), cancellationToken);
            for (var n = 0; n < refused.Count; n++)
            {
                outcomes[refused[n]] = retried[n];
            }
        }

        return outcomes;
    }

    /// <summary>Whether the batch may skip the group: 1 to the batch limit of valid writes, none of them at <see cref="WriteConsistency.One"/>.</summary>
    private static bool GoesToPrimary(IReadOnlyList<ReplicaWriteRequest>? writes)
    {
        if (writes is null || writes.Count is 0 or > ReplicaLimits.MaxWritesPerBatch)
        {
            return false;
        }

        foreach (var write in writes)
        {
            if (!PrimaryCall.Accepts(write) || write.Write == WriteConsistency.One)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The group's primary, or null when writes go through the group (multi-primary, or a recent failure).</summary>
    private async Task<ReplicaWriteTarget?> TargetAsync(string group, IReplicaGroupGrain groupGrain)
    {
        if (_routes.TryGetValue(group, out var known) && (known.Target is not null || Environment.TickCount64 < known.ThroughGroupUntil))
        {
            return known.Target;
        }

        try
        {
            var target = await groupGrain.GetWriteTarget();
            Remember(group, new Route(target, target is null ? long.MaxValue : 0));
            return target;
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            // The group's own path reports this failure to the caller.
            return null;
        }
    }

    private void Remember(string group, Route route)
    {
        if (_routes.Count >= MaxTargets && !_routes.ContainsKey(group))
        {
            _routes.Clear();
        }

        _routes[group] = route;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Copy {Primary} of replica group {Group} refused {Count} writes for epoch {Epoch}; sending them through the group")]
    private partial void LogTargetRefused(string group, int primary, long epoch, int count);

    /// <summary>Where a group's writes go: <paramref name="Target"/>, or through the group grain (null) until <paramref name="ThroughGroupUntil"/>.</summary>
    private sealed record Route(ReplicaWriteTarget? Target, long ThroughGroupUntil);
}
