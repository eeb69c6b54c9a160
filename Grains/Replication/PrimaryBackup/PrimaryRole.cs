using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// The primary's work for one epoch, running on its copy grain's scheduler: orders writes (group-wide versions),
/// stores them locally in version order (batched) while streaming them to each backup in version order (one pump per
/// backup, batched; a backup may store a write before the primary does), counts acknowledgements (the primary's own
/// durable write is always one of them), tracks the majority-committed version and publishes committed changes on the
/// change feed. <see cref="Depose"/> ends all of it; writes still waiting then fail.
/// </summary>
/// <remarks>
/// Only as many backups as a majority needs besides the primary lead (the first healthy ones in copy order): they get
/// every batch at once. The others trail: they get a batch at most every <see cref="TrailInterval"/>, holding what
/// piled up meanwhile, unless a write they hold back needs every copy, the oldest of them is still unacknowledged after
/// <see cref="HedgeAfter"/>, or a full batch is waiting. Each batch a copy stores is one database transaction, whose
/// fixed cost (waking the server's process, the commit) outweighs its rows at these sizes (docs/benchmarks.md), so a
/// trailing copy stores the same writes in a fraction of the transactions. Acknowledgements only ever count what a copy
/// holds, so what a trailing copy has not got yet is simply not counted: no consistency level is weakened.
/// </remarks>
internal sealed partial class PrimaryRole
{
    /// <summary>How long a write waits for its acknowledgements; under the 30 s Orleans call timeout.</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    private const int MaxBatch = 512;
    private const int MaxBatchesInFlight = 2;
    private const int MaxRecent = 50_000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>A trailing backup gets at most one batch per interval (see the remarks).</summary>
    private static readonly TimeSpan TrailInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>When the oldest write a trailing backup has not got is still unacknowledged after this long, it goes at once, in case a leader is slow.</summary>
    private static readonly TimeSpan HedgeAfter = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a read of the changes keeps the feed published. A watcher reads at least every
    /// <see cref="ReplicaFeedStream.KeepPublishedEvery"/>; with no watcher left the primary stops sending every committed
    /// batch to the stream (a memory stream drops events nobody is subscribed to anyway, after paying for the send).
    /// </summary>
    private static readonly TimeSpan FeedLease = 3 * ReplicaFeedStream.KeepPublishedEvery;

    private readonly ReplicaCopyGrain _host;
    private readonly IReplicaStore _store;
    private readonly IAsyncStream<ReplicaChangeBatch> _feed;
    private readonly ILogger _logger;
    private readonly long _electionSyncedEpoch;
    private readonly long _electionHigh;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<PendingWrite> _unstored = new();
    private readonly Dictionary<long, PendingWrite> _waiting = [];
    private readonly Dictionary<string, (long Version, bool Deleted)> _inFlightKeys = new(StringComparer.Ordinal);
    private readonly List<ReplicaChange> _recent = [];
    private readonly AsyncSignal _storeSignal = new();
    private readonly AsyncSignal _publishSignal = new();
    private readonly BackupLink[] _backups;
    private long _assigned;
    private long _durable;
    private long _published;
    private long _needsAllThrough;
    private long _feedWatchedUntil = long.MinValue;

    public PrimaryRole(
        ReplicaCopyGrain host, IReplicaStore store, IAsyncStream<ReplicaChangeBatch> feed, ILogger logger,
        long epoch, int replicas, long electionSyncedEpoch, long electionHigh, IReadOnlyList<BackupLink> backups)
    {
        _host = host;
        _store = store;
        _feed = feed;
        _logger = logger;
        Epoch = epoch;
        Replicas = replicas;
        _electionSyncedEpoch = electionSyncedEpoch;
        _electionHigh = electionHigh;
        _assigned = electionHigh;
        _durable = electionHigh;
        _published = electionHigh;
        _backups = [.. backups];
    }

    public long Epoch { get; }

    public int Replicas { get; }

    public bool Deposed { get; private set; }

    /// <summary>The highest version durable on a majority of copies (never decreases).</summary>
    public long Committed { get; private set; }

    /// <summary>Copies that must hold a write for each consistency.</summary>
    public int Needed(WriteConsistency write) => write switch
    {
        WriteConsistency.One => 1,
        WriteConsistency.All => Replicas,
        _ => (Replicas / 2) + 1,
    };

    public void Start()
    {
        _ = RunStoreAsync();
        _ = RunPublishAsync();
        foreach (var backup in _backups)
        {
            _ = RunBackupAsync(backup);
        }

        RecomputeCommitted();
    }

    /// <summary>Orders, stores and replicates one write; answers once <paramref name="write"/> copies hold it.</summary>
    public async Task<ReplicaCopyWriteOutcome> WriteAsync(string key, byte[]? value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is { } expected)
        {
            // Only a conditional write needs the key's current version: the newest in-flight write of the key, else the store.
            if (!_inFlightKeys.TryGetValue(key, out var current))
            {
                var stored = await _store.ReadAsync(_host.Group, _host.Index, key, cancellationToken);
                if (!_inFlightKeys.TryGetValue(key, out current))
                {
                    current = stored is null ? (0, true) : (stored.Version, stored.Deleted);
                }
            }

            // A deleted or never-written key "does not exist": its version for conditions is 0.
            var conditionVersion = current.Deleted ? 0 : current.Version;
            if (expected != conditionVersion)
            {
                return new ReplicaCopyWriteOutcome(ReplicaWriteStatus.Conflict, conditionVersion, 0);
            }
        }

        if (Deposed)
        {
            return new ReplicaCopyWriteOutcome(ReplicaWriteStatus.NotPrimary, 0, 0);
        }

        var pending = Order(key, value, write, null);
        try
        {
            var status = await pending.Done.Task.WaitAsync(AckTimeout, cancellationToken);
            return new ReplicaCopyWriteOutcome(status, pending.Change.Version, pending.Acks);
        }
        catch (TimeoutException)
        {
            return new ReplicaCopyWriteOutcome(ReplicaWriteStatus.Unavailable, pending.Change.Version, pending.Acks);
        }
        finally
        {
            ReplicationMetrics.WriteAck.Record(ReplicationMetrics.Since(pending.OrderedAt));
        }
    }

    /// <summary>
    /// Several writes at once, each as <see cref="WriteAsync"/> would handle it alone: unconditional ones are ordered at
    /// once in list order, conditional ones after their check. One wait of <see cref="AckTimeout"/> covers them all.
    /// A conditional write whose check could not read the store is answered <see cref="ReplicaWriteStatus.NotPrimary"/>
    /// (refused before it was ordered, so it is safe to send again).
    /// </summary>
    public async Task<ReplicaCopyWriteOutcome[]> WriteManyAsync(IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken)
    {
        var outcomes = new ReplicaCopyWriteOutcome?[writes.Count];
        var pendings = new PendingWrite?[writes.Count];
        var batch = new PendingBatch();
        List<Task>? conditionals = null;
        for (var i = 0; i < writes.Count; i++)
        {
            var request = writes[i];
            if (request.ExpectedVersion is not null)
            {
                (conditionals ??= []).Add(WriteConditionalAsync(request, outcomes, i, cancellationToken));
            }
            else if (Deposed)
            {
                outcomes[i] = new ReplicaCopyWriteOutcome(ReplicaWriteStatus.NotPrimary, 0, 0);
            }
            else
            {
                pendings[i] = Order(request.Key, request.Value, request.Write, batch);
            }
        }

        batch.Seal();
        try
        {
            var settled = conditionals is null ? batch.Settled : Task.WhenAll([.. conditionals, batch.Settled]);
            await settled.WaitAsync(AckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Answered below: what is not settled yet is unavailable (it may still become durable).
        }

        var result = new ReplicaCopyWriteOutcome[writes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (pendings[i] is { } pending)
            {
                ReplicationMetrics.WriteAck.Record(ReplicationMetrics.Since(pending.OrderedAt));
                var status = pending.Done.Task.IsCompletedSuccessfully ? pending.Done.Task.Result : ReplicaWriteStatus.Unavailable;
                result[i] = new ReplicaCopyWriteOutcome(status, pending.Change.Version, pending.Acks);
            }
            else
            {
                result[i] = outcomes[i] ?? new ReplicaCopyWriteOutcome(ReplicaWriteStatus.Unavailable, 0, 0);
            }
        }

        return result;
    }

    private async Task WriteConditionalAsync(ReplicaWriteRequest request, ReplicaCopyWriteOutcome?[] outcomes, int index, CancellationToken cancellationToken)
    {
        try
        {
            outcomes[index] = await WriteAsync(request.Key, request.Value, request.Write, request.ExpectedVersion, cancellationToken);
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            LogConditionalCheckFailed(ex, _host.Group, _host.Index);
            outcomes[index] = new ReplicaCopyWriteOutcome(ReplicaWriteStatus.NotPrimary, 0, 0);
        }
    }

    /// <summary>Gives the write the next version and queues it for the local store and every backup; it settles with <paramref name="batch"/> when given.</summary>
    private PendingWrite Order(string key, byte[]? value, WriteConsistency write, PendingBatch? batch)
    {
        var change = new ReplicaChange(key, value, ++_assigned, Epoch, value is null);
        _inFlightKeys[key] = (change.Version, change.Deleted);
        batch?.Join();
        var pending = new PendingWrite(change, Needed(write), batch);
        if (pending.Needed > Needed(WriteConsistency.Majority))
        {
            _needsAllThrough = change.Version;
        }

        _unstored.Enqueue(pending);
        _waiting[change.Version] = pending;
        _recent.Add(change);
        _storeSignal.Set();
        foreach (var backup in _backups)
        {
            backup.Signal.Set();
        }

        return pending;
    }

    /// <summary>Committed changes after <paramref name="afterVersion"/> from the local store (compacted: latest per key).</summary>
    public async Task<ReplicaChangePage> ReadChangesAsync(long afterVersion, int max)
    {
        // Whoever reads the changes is (or is about to start) following the feed: publish it from now on.
        _feedWatchedUntil = Environment.TickCount64 + (long)FeedLease.TotalMilliseconds;

        // Backups may hold committed writes this copy has not stored yet: the page ends at what both allow.
        var committed = Committed;
        var changes = await _store.ReadRangeAsync(_host.Group, _host.Index, afterVersion, Math.Min(committed, _durable), max, CancellationToken.None);
        return new ReplicaChangePage(changes, committed);
    }

    /// <summary>Stops everything; writes not yet acknowledged fail (they may or may not survive).</summary>
    public void Depose()
    {
        if (Deposed)
        {
            return;
        }

        Deposed = true;
        _stop.Cancel();
        foreach (var pending in _waiting.Values)
        {
            pending.Fail();
        }

        _waiting.Clear();
        _unstored.Clear();
    }

    private async Task RunStoreAsync()
    {
        while (!Deposed)
        {
            if (_unstored.Count == 0)
            {
                try
                {
                    await _storeSignal.WaitAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var batch = new List<PendingWrite>(Math.Min(_unstored.Count, MaxBatch));
            while (batch.Count < MaxBatch && _unstored.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            if (ReplicationMetrics.StoreQueueWait.Enabled)
            {
                foreach (var pending in batch)
                {
                    ReplicationMetrics.StoreQueueWait.Record(ReplicationMetrics.Since(pending.OrderedAt));
                }
            }

            var changes = batch.ConvertAll(p => p.Change);
            if (!await _host.StoreOwnAsync(this, changes))
            {
                return;
            }

            _durable = changes[^1].Version;
            foreach (var pending in batch)
            {
                if (_inFlightKeys.TryGetValue(pending.Change.Key, out var inFlight) && inFlight.Version == pending.Change.Version)
                {
                    _inFlightKeys.Remove(pending.Change.Key);
                }

                if (_waiting.TryGetValue(pending.Change.Version, out var waiting) && waiting.AckLocal())
                {
                    _waiting.Remove(pending.Change.Version);
                }
            }

            RecomputeCommitted();
            TrimRecent();
        }
    }

    /// <summary>Called by the host when the local store failed: the copy cannot go on as primary.</summary>
    public void OnStoreFailed(Exception exception)
    {
        LogStoreFailed(exception, _host.Group, _host.Index, Epoch);
        Depose();
    }

    private async Task RunBackupAsync(BackupLink backup)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (!Deposed)
        {
            try
            {
                if (backup.InFlight > 0 && !CanStream(backup))
                {
                    // Batches under way settle first (each answer wakes this loop).
                    await backup.Signal.WaitAsync(_stop.Token);
                    continue;
                }

                if (!backup.Synced && backup.Backoff)
                {
                    backup.Backoff = false;
                    await Task.Delay(delay, _stop.Token);
                    delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
                    continue;
                }

                if (!backup.Synced)
                {
                    await SyncAsync(backup);
                    backup.Session++;
                    backup.Sent = backup.Confirmed;
                }
                else if (CanStream(backup))
                {
                    if (HoldBack(backup) is { } wait)
                    {
                        await backup.Signal.WaitAsync(wait, _stop.Token);
                        continue;
                    }

                    _ = StreamAsync(backup);
                    continue;
                }
                else if (backup.Confirmed < _assigned || (!backup.Consistent && backup.Confirmed >= backup.ConsistentFrom))
                {
                    await SendAsync(backup);
                    backup.Sent = Math.Max(backup.Sent, backup.Confirmed);
                }
                else
                {
                    await backup.Signal.WaitAsync(_stop.Token);
                }

                delay = TimeSpan.FromMilliseconds(50);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Unreachable or failing backup: it is re-checked from scratch once it answers again.
                backup.Synced = false;
                LogBackupFailed(ex, _host.Group, backup.Index, Epoch);
                try
                {
                    await Task.Delay(delay, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
            }
        }
    }

    /// <summary>
    /// Whether the next batch for a consistent, synced backup can leave before the previous ones are answered: contiguous
    /// writes from memory, at most <see cref="MaxBatchesInFlight"/> under way. The backup applies them in version order
    /// (it holds back a batch that arrives before its predecessor).
    /// </summary>
    private bool CanStream(BackupLink backup)
    {
        var recentStart = _recent.Count == 0 ? _assigned + 1 : _recent[0].Version;
        return backup.Synced && backup.Consistent && backup.InFlight < MaxBatchesInFlight && backup.Sent < _assigned && backup.Sent + 1 >= recentStart;
    }

    /// <summary>
    /// How much longer a trailing backup's next batch waits (null: send now). Leaders never wait. A write held back that
    /// needs every copy, the oldest write held back still unacknowledged after <see cref="HedgeAfter"/>, or a full batch
    /// goes at once.
    /// </summary>
    private TimeSpan? HoldBack(BackupLink backup)
    {
        if (!Trails(backup) || _needsAllThrough > backup.Sent || _assigned - backup.Sent >= MaxBatch)
        {
            return null;
        }

        var now = Stopwatch.GetTimestamp();
        var wait = TrailInterval - Stopwatch.GetElapsedTime(backup.LastSentAt, now);
        if (_waiting.TryGetValue(backup.Sent + 1, out var oldest))
        {
            var hedge = HedgeAfter - Stopwatch.GetElapsedTime(oldest.OrderedAt, now);
            wait = hedge < wait ? hedge : wait;
        }

        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>
    /// Whether the backup trails: enough healthy backups before it in copy order already make a majority with the
    /// primary. When one of those fails, the next one leads in its place.
    /// </summary>
    private bool Trails(BackupLink backup)
    {
        var leaders = Needed(WriteConsistency.Majority) - 1;
        foreach (var other in _backups)
        {
            if (ReferenceEquals(other, backup))
            {
                return false;
            }

            if (other.Synced && other.Consistent && !other.Backoff && --leaders == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends the next contiguous batch after <see cref="BackupLink.Sent"/> without waiting for the ones under way.</summary>
    private async Task StreamAsync(BackupLink backup)
    {
        var after = backup.Sent;
        var from = (int)(after + 1 - _recent[0].Version);
        var changes = _recent.GetRange(from, Math.Min(MaxBatch, _recent.Count - from));
        var through = changes[^1].Version;
        var session = backup.Session;
        backup.Sent = through;
        backup.LastSentAt = Stopwatch.GetTimestamp();
        backup.InFlight++;
        try
        {
            var sentAt = RecordSending(changes);
            var result = await backup.Copy.Apply(Epoch, after, changes, through, true);
            ReplicationMetrics.BackupRoundTrip.Record(ReplicationMetrics.Since(sentAt));
            if (Deposed || session != backup.Session || !backup.Synced)
            {
                return;
            }

            if (Refused(backup, result))
            {
                return;
            }

            // Applied in version order: the backup holds everything through 'through'.
            backup.Confirmed = Math.Max(backup.Confirmed, through);
            AckBackup(after, through);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (session == backup.Session)
            {
                backup.Synced = false;
                backup.Backoff = true;
            }

            LogBackupFailed(ex, _host.Group, backup.Index, Epoch);
        }
        finally
        {
            backup.InFlight--;
            backup.Signal.Set();
        }
    }

    /// <summary>Records how long the writes of a batch to a backup waited for it; answers the send time.</summary>
    private long RecordSending(IReadOnlyList<ReplicaChange> changes)
    {
        if (ReplicationMetrics.BackupQueueWait.Enabled)
        {
            foreach (var change in changes)
            {
                if (_waiting.TryGetValue(change.Version, out var queued))
                {
                    ReplicationMetrics.BackupQueueWait.Record(ReplicationMetrics.Since(queued.OrderedAt));
                }
            }
        }

        return Stopwatch.GetTimestamp();
    }

    private async Task SyncAsync(BackupLink backup)
    {
        var state = await backup.Copy.GetState();
        if (Deposed)
        {
            return;
        }

        if (state.PromisedEpoch > Epoch)
        {
            Depose();
            return;
        }

        // The backup's data is a prefix of ours when this epoch's primary (us) already fed it, or when it was fed by the
        // same earlier primary as we were and is not ahead of where we stood at election. Otherwise it may hold writes
        // of an older epoch that we never had: it starts over from a full copy.
        var prefix = state.SyncedEpoch == Epoch
            || (state.Consistent && state.SyncedEpoch == _electionSyncedEpoch && state.High <= _electionHigh);
        if (prefix && state.High <= _assigned)
        {
            backup.Confirmed = state.High;
            backup.Consistent = state.Consistent;

            // An interrupted catch-up of ours is finished with compacted pages, then contiguous batches past every
            // version that existed when it was interrupted.
            backup.ConsistentFrom = state.Consistent ? 0 : _assigned;
        }
        else
        {
            var reset = await backup.Copy.Reset(Epoch);
            if (reset.Status == ReplicaApplyStatus.StaleEpoch)
            {
                Depose();
                return;
            }

            backup.Confirmed = 0;
            backup.Consistent = false;
            backup.ConsistentFrom = 0;
        }

        backup.Synced = true;
        LogBackupSynced(_host.Group, backup.Index, Epoch, prefix ? "incremental" : "full", backup.Confirmed);
    }

    private async Task SendAsync(BackupLink backup)
    {
        IReadOnlyList<ReplicaChange> changes;
        long through;
        bool consistent;
        var after = backup.Confirmed;
        var recentStart = _recent.Count == 0 ? _assigned + 1 : _recent[0].Version;
        if (after + 1 >= recentStart)
        {
            // Contiguous writes from memory (stored here or not yet): after them the backup equals us at 'through'.
            var from = (int)(after + 1 - recentStart);
            var count = Math.Min(MaxBatch, _recent.Count - from);
            changes = count > 0 ? _recent.GetRange(from, count) : [];
            through = count > 0 ? changes[^1].Version : after;
            consistent = through >= backup.ConsistentFrom;
        }
        else
        {
            // Too far behind for memory: compacted pages (latest write per key) from the store, up to what it holds. Keys overwritten while
            // the pages are read are missing until the contiguous part, so consistency waits for that.
            var target = _durable;
            changes = await _store.ReadRangeAsync(_host.Group, _host.Index, after, target, MaxBatch, _stop.Token);
            through = changes.Count == MaxBatch ? changes[^1].Version : target;
            backup.ConsistentFrom = Math.Max(backup.ConsistentFrom, _assigned);
            consistent = false;
        }

        var sentAt = RecordSending(changes);
        var result = await backup.Copy.Apply(Epoch, after, changes, through, consistent);
        ReplicationMetrics.BackupRoundTrip.Record(ReplicationMetrics.Since(sentAt));
        if (Deposed)
        {
            return;
        }

        if (Refused(backup, result))
        {
            return;
        }

        backup.Confirmed = through;
        backup.Consistent = consistent;
        AckBackup(after, through);
    }

    /// <summary>One backup now holds versions (<paramref name="after"/>, <paramref name="through"/>].</summary>
    private void AckBackup(long after, long through)
    {
        foreach (var version in _waiting.Keys.Where(v => v > after && v <= through).ToList())
        {
            if (_waiting[version].AckBackup())
            {
                _waiting.Remove(version);
            }
        }

        RecomputeCommitted();
        TrimRecent();
    }

    private void RecomputeCommitted()
    {
        var held = new long[Replicas];
        held[0] = _durable;
        for (var i = 0; i < _backups.Length && i + 1 < held.Length; i++)
        {
            held[i + 1] = _backups[i].Synced ? _backups[i].Confirmed : 0;
        }

        Array.Sort(held);
        var majority = (Replicas / 2) + 1;
        var committed = held[Replicas - majority];
        if (committed > Committed)
        {
            Committed = committed;
            _publishSignal.Set();
        }
    }

    private void TrimRecent()
    {
        // Keep what a backup or the feed still needs from memory, and at most MaxRecent writes; older ones come from the
        // store. Writes not yet stored here always stay.
        var needed = Math.Min(_published, _backups.Length == 0 ? _durable : _backups.Min(b => b.Confirmed));
        var drop = 0;
        while (drop < _recent.Count && _recent[drop].Version <= _durable && (_recent[drop].Version <= needed || _recent.Count - drop > MaxRecent))
        {
            drop++;
        }

        if (drop > 0)
        {
            _recent.RemoveRange(0, drop);
        }
    }

    private async Task RunPublishAsync()
    {
        while (!Deposed)
        {
            if (_published >= Committed)
            {
                try
                {
                    await _publishSignal.WaitAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (Environment.TickCount64 >= _feedWatchedUntil)
            {
                // Nobody follows the feed. A watcher that starts later reads first (which turns publishing back on),
                // and finds anything it then misses by version.
                _published = Committed;
                TrimRecent();
                continue;
            }

            var recentStart = _recent.Count == 0 ? _assigned + 1 : _recent[0].Version;
            if (_published + 1 < recentStart)
            {
                // No longer in memory: subscribers find the gap by version and read it from the primary.
                _published = Math.Min(Committed, recentStart - 1);
                continue;
            }

            var from = (int)(_published + 1 - recentStart);
            var count = (int)Math.Min(MaxBatch, Math.Min(Committed - _published, _recent.Count - from));
            if (count <= 0)
            {
                _published = Committed;
                continue;
            }

            var batch = _recent.GetRange(from, count);
            _published = batch[^1].Version;
            try
            {
                await _feed.OnNextAsync(new ReplicaChangeBatch(batch));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Committed already: subscribers fill the gap by version from the primary.
                LogPublishFailed(ex, _host.Group, _published);
            }

            TrimRecent();
        }
    }

    /// <summary>
    /// Acts on a backup's refusal of a batch: a newer epoch promised there deposes this primary; a gap makes the
    /// backup resynchronise. True when the batch was refused.
    /// </summary>
    private bool Refused(BackupLink backup, ReplicaApplyResult result)
    {
        switch (result.Status)
        {
            case ReplicaApplyStatus.StaleEpoch:
                LogDeposedByBackup(_host.Group, backup.Index, Epoch, result.PromisedEpoch);
                Depose();
                return true;
            case ReplicaApplyStatus.OutOfOrder:
                backup.Synced = false;
                return true;
            default:
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group} copy {Copy}: a conditional write's check could not read the store; refused before ordering it")]
    private partial void LogConditionalCheckFailed(Exception exception, string group, int copy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replica group {Group} copy {Copy}: local store failed as primary of epoch {Epoch}; stepping down")]
    private partial void LogStoreFailed(Exception exception, string group, int copy, long epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replica group {Group} backup {Copy} failed in epoch {Epoch}; retrying")]
    private partial void LogBackupFailed(Exception exception, string group, int copy, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica group {Group} backup {Copy} synced in epoch {Epoch} ({Kind}) from version {Version}")]
    private partial void LogBackupSynced(string group, int copy, long epoch, string kind, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group}: backup {Copy} refused epoch {Epoch} (it promised {Promised}); stepping down")]
    private partial void LogDeposedByBackup(string group, int copy, long epoch, long promised);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group}: change feed publish through version {Version} failed; subscribers fill the gap")]
    private partial void LogPublishFailed(Exception exception, string group, long version);
}
