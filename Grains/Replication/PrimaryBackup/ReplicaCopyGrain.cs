using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OrleansSync.Replication.PrimaryBackup;

/// <inheritdoc cref="IReplicaCopyGrain"/>
/// <remarks>
/// Reentrant so the primary can have many writes in flight (they are ordered by version, stored in batches and streamed
/// to backups in batches). Everything that changes the copy's store or epoch runs under one async gate, so a promise of
/// a new epoch and a batch of an old one can never interleave. The copy stays active for the life of its silo: its
/// primary role lives in memory, and a re-activated copy is never primary until the group elects it again.
/// </remarks>
[Reentrant]
[ReplicaCopyPlacement]
internal sealed partial class ReplicaCopyGrain(IReplicaStore store, ILocalSiloDetails silo, ILogger<ReplicaCopyGrain> logger) : Grain, IReplicaCopyGrain
{
    private static readonly KeyValuePair<string, object?> PrimaryRoleTag = new("role", "primary");
    private static readonly KeyValuePair<string, object?> BackupRoleTag = new("role", "backup");
    /// <summary>How long a replication batch that arrived ahead of its predecessor waits for it before being refused.</summary>
    private static readonly TimeSpan ReorderWait = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TaskCompletionSource _highMoved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplicaCopyMeta _meta;
    private long _high;
    private long _lastEntryEpoch;
    private PrimaryRole? _primary;

    public string Group { get; private set; } = string.Empty;

    public int Index { get; private set; }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ReplicaCopyKey.TryParse(this.GetPrimaryKeyString(), out var group, out var index))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a replica copy key.");
        }

        (Group, Index) = (group, index);
        var load = await store.LoadAsync(Group, Index, cancellationToken);
        (_meta, _high, _lastEntryEpoch) = (load.Meta, load.High, load.LastEntryEpoch);
        DelayDeactivation(TimeSpan.FromDays(365));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _primary?.Depose();
        return Task.CompletedTask;
    }

    public Task<ReplicaCopyState> GetState() => Task.FromResult(State());

    public async Task<ReplicaCopyState> Promise(long epoch)
    {
        await _gate.WaitAsync();
        try
        {
            if (epoch > _meta.PromisedEpoch)
            {
                await store.SaveMetaAsync(Group, Index, _meta with { PromisedEpoch = epoch }, CancellationToken.None);
                _meta = _meta with { PromisedEpoch = epoch };
                StepDown(epoch);
            }

            return State();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReplicaCopyState> BecomePrimary(long epoch, int replicas)
    {
        ReplicaValidation.ValidateReplicas(replicas);
        await _gate.WaitAsync();
        try
        {
            if (epoch < _meta.PromisedEpoch || _primary is { Deposed: false } current && current.Epoch == epoch)
            {
                return State();
            }

            StepDown(epoch);
            var (electionSynced, electionHigh) = (_meta.SyncedEpoch, _high);
            var meta = new ReplicaCopyMeta(epoch, epoch, true);
            await store.SaveMetaAsync(Group, Index, meta, CancellationToken.None);
            _meta = meta;
            var backups = Enumerable.Range(0, replicas)
                .Where(i => i != Index)
                .Select(i => new BackupLink(i, GrainFactory.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(Group, i))))
                .ToList();
            var feed = this.GetStreamProvider(ProviderNames.Streams).GetStream<ReplicaChangeBatch>(StreamId.Create(ReplicaFeedStream.Namespace, ReplicaFeedStream.Key(Group)));
            _primary = new PrimaryRole(this, store, feed, logger, epoch, replicas, electionSynced, electionHigh, backups);
            _primary.Start();
            LogBecamePrimary(Group, Index, epoch, electionHigh);
            return State();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<ReplicaCopyWriteOutcome> Write(long epoch, string key, byte[]? value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        if (value is not null)
        {
            ReplicaValidation.ValidateValue(value);
        }

        ReplicaValidation.ValidateEnum(write, nameof(write));
        ReplicaValidation.ValidateExpectedVersion(expectedVersion);
        return _primary is { Deposed: false } primary && primary.Epoch == epoch && epoch >= _meta.PromisedEpoch
            ? primary.WriteAsync(key, value, write, expectedVersion, cancellationToken)
            : Task.FromResult(new ReplicaCopyWriteOutcome(ReplicaWriteStatus.NotPrimary, 0, 0));
    }

    public async Task<IReadOnlyList<ReplicaCopyWriteOutcome>> WriteBatch(long epoch, IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > ReplicaLimits.MaxWritesPerBatch)
        {
            throw new ArgumentException($"At most {ReplicaLimits.MaxWritesPerBatch} writes per batch.", nameof(writes));
        }

        foreach (var request in writes)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(writes));
            ReplicaValidation.ValidateKey(request.Key);
            if (request.Value is not null)
            {
                ReplicaValidation.ValidateValue(request.Value);
            }

            ReplicaValidation.ValidateEnum(request.Write, nameof(writes));
            ReplicaValidation.ValidateExpectedVersion(request.ExpectedVersion);
        }

        if (!(_primary is { Deposed: false } primary && primary.Epoch == epoch && epoch >= _meta.PromisedEpoch))
        {
            var refused = new ReplicaCopyWriteOutcome(ReplicaWriteStatus.NotPrimary, 0, 0);
            return [.. writes.Select(_ => refused)];
        }

        return await primary.WriteManyAsync(writes, cancellationToken);
    }

    public async Task<ReplicaReadResult> Read(string key, long? primaryEpoch)
    {
        ReplicaValidation.ValidateKey(key);
        if (primaryEpoch is { } epoch && !(_primary is { Deposed: false } primary && primary.Epoch == epoch))
        {
            throw new ReplicaUnavailableException($"Copy {Index} of replica group '{Group}' is not the primary of epoch {epoch}.");
        }

        var row = await store.ReadAsync(Group, Index, key, CancellationToken.None);
        return row switch
        {
            null => ReplicaReadResult.Missing,
            { Deleted: true } => new ReplicaReadResult(false, null, row.Version),
            _ => new ReplicaReadResult(true, row.Value, row.Version),
        };
    }

    public Task<ReplicaChangePage> ReadChanges(long epoch, long afterVersion, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        max = Math.Clamp(max, 1, ReplicaLimits.MaxChangesPerRead);
        return _primary is { Deposed: false } primary && primary.Epoch == epoch
            ? primary.ReadChangesAsync(afterVersion, max)
            : throw new ReplicaUnavailableException($"Copy {Index} of replica group '{Group}' is not the primary of epoch {epoch}.");
    }

    public async Task<ReplicaApplyResult> Apply(long epoch, long afterVersion, IReadOnlyList<ReplicaChange> entries, long throughVersion, bool consistent)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // The primary keeps more than one batch in flight, and messages between two grains may arrive out of order: a
        // batch that starts beyond this copy's end waits (briefly) for the ones before it.
        await WaitForHighAsync(afterVersion);
        var arrived = Stopwatch.GetTimestamp();
        await _gate.WaitAsync();
        ReplicationMetrics.GateWait.Record(ReplicationMetrics.Since(arrived), BackupRoleTag);
        try
        {
            if (epoch < _meta.PromisedEpoch || _primary is { Deposed: false } self && self.Epoch >= epoch)
            {
                return new ReplicaApplyResult(ReplicaApplyStatus.StaleEpoch, _high, _meta.PromisedEpoch);
            }

            StepDown(epoch);
            if (afterVersion != _high)
            {
                return new ReplicaApplyResult(ReplicaApplyStatus.OutOfOrder, _high, _meta.PromisedEpoch);
            }

            // Marked inconsistent before compacted data lands, consistent only after the data that makes it so.
            var meta = new ReplicaCopyMeta(epoch, epoch, consistent);
            if (!consistent && meta != _meta)
            {
                await store.SaveMetaAsync(Group, Index, meta, CancellationToken.None);
                _meta = meta;
            }

            var storing = Stopwatch.GetTimestamp();
            await store.ApplyAsync(Group, Index, entries, CancellationToken.None);
            ReplicationMetrics.StoreApply.Record(ReplicationMetrics.Since(storing), BackupRoleTag);
            ReplicationMetrics.BatchSize.Record(entries.Count, BackupRoleTag);
            if (entries.Count > 0)
            {
                _lastEntryEpoch = entries[^1].Epoch;
            }

            if (meta != _meta)
            {
                await store.SaveMetaAsync(Group, Index, meta, CancellationToken.None);
                _meta = meta;
            }

            MoveHigh(Math.Max(_high, throughVersion));

            return new ReplicaApplyResult(ReplicaApplyStatus.Applied, _high, _meta.PromisedEpoch);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReplicaApplyResult> Reset(long epoch)
    {
        await _gate.WaitAsync();
        try
        {
            if (epoch < _meta.PromisedEpoch || _primary is { Deposed: false } self && self.Epoch >= epoch)
            {
                return new ReplicaApplyResult(ReplicaApplyStatus.StaleEpoch, _high, _meta.PromisedEpoch);
            }

            StepDown(epoch);
            var meta = new ReplicaCopyMeta(epoch, epoch, false);
            await store.ResetAsync(Group, Index, meta, CancellationToken.None);
            (_meta, _lastEntryEpoch) = (meta, 0);
            MoveHigh(0);
            LogReset(Group, Index, epoch);
            return new ReplicaApplyResult(ReplicaApplyStatus.Applied, 0, epoch);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores the primary's own writes under the gate; false (and the role deposed) when it may not or failed.</summary>
    internal async Task<bool> StoreOwnAsync(PrimaryRole role, List<ReplicaChange> changes)
    {
        var arrived = Stopwatch.GetTimestamp();
        await _gate.WaitAsync();
        ReplicationMetrics.GateWait.Record(ReplicationMetrics.Since(arrived), PrimaryRoleTag);
        try
        {
            if (role.Deposed || _primary != role || role.Epoch < _meta.PromisedEpoch)
            {
                role.Depose();
                return false;
            }

            var storing = Stopwatch.GetTimestamp();
            await store.ApplyAsync(Group, Index, changes, CancellationToken.None);
            ReplicationMetrics.StoreApply.Record(ReplicationMetrics.Since(storing), PrimaryRoleTag);
            ReplicationMetrics.BatchSize.Record(changes.Count, PrimaryRoleTag);
            _lastEntryEpoch = changes[^1].Epoch;
            MoveHigh(changes[^1].Version);
            return true;
        }
        catch (Exception ex)
        {
            // The batch may or may not have committed: step down and re-activate, so the next primary is elected from
            // what the stores really hold.
            role.OnStoreFailed(ex);
            DeactivateOnIdle();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sets the copy's end and wakes batches waiting for it.</summary>
    private void MoveHigh(long high)
    {
        _high = high;
        _highMoved.TrySetResult();
        _highMoved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task WaitForHighAsync(long afterVersion)
    {
        var deadline = DateTime.UtcNow + ReorderWait;
        while (_high < afterVersion && deadline - DateTime.UtcNow is { Ticks: > 0 } remaining)
        {
            try
            {
                await _highMoved.Task.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    private void StepDown(long newerEpoch)
    {
        if (_primary is { } primary && primary.Epoch < newerEpoch)
        {
            primary.Depose();
            _primary = null;
            LogSteppedDown(Group, Index, primary.Epoch, newerEpoch);
        }
    }

    private ReplicaCopyState State() => new(
        _meta.PromisedEpoch,
        _meta.SyncedEpoch,
        _high,
        _lastEntryEpoch,
        _meta.Consistent,
        _primary is { Deposed: false },
        silo.SiloAddress.Endpoint.ToString(),
        _primary?.Committed ?? 0);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica group {Group} copy {Copy} is primary of epoch {Epoch} from version {Version}")]
    private partial void LogBecamePrimary(string group, int copy, long epoch, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica group {Group} copy {Copy} stepped down as primary of epoch {Epoch} (epoch {Newer} exists)")]
    private partial void LogSteppedDown(string group, int copy, long epoch, long newer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica group {Group} copy {Copy} reset for a full copy in epoch {Epoch}")]
    private partial void LogReset(string group, int copy, long epoch);
}
