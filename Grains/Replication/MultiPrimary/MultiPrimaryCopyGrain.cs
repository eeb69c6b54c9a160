using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <inheritdoc cref="IMultiPrimaryCopyGrain"/>
/// <remarks>
/// <para>Reentrant: copies call each other in both directions (pushes, repairs, anti-entropy), which would deadlock
/// non-reentrant grains. Every state change is a synchronous merge into <see cref="CopyContents"/>, so interleaving
/// calls can only add information, never lose it.</para>
/// <para>Durability: changed keys are saved in batches, one save at a time, each holding the keys' latest states; a
/// write or push is answered only after the save that holds it. A failed save deactivates the copy, and the next
/// activation reloads what is durable.</para>
/// <para>Change feed: an acknowledged register write (set or delete) is published on the group's
/// <see cref="ReplicaFeedStream"/> by the copy that took it; <see cref="ReadRegisterChanges"/> serves catch-up reads. A
/// lost event is found again by the reader's next catch-up read, so publishing is best effort.</para>
/// <para>Each activation writes to counters and sets under a fresh replica id (copy index + random incarnation), so a
/// copy that lost its data (memory profile) never reuses tags or counter slots it handed out before.</para>
/// </remarks>
[Reentrant]
[ReplicaCopyPlacement]
internal sealed partial class MultiPrimaryCopyGrain(
    ICopyStore store,
    IOptions<MultiPrimaryOptions> options,
    TimeProvider time,
    ILogger<MultiPrimaryCopyGrain> logger) : Grain, IMultiPrimaryCopyGrain
{
    // Upper bound of exchange rounds with one peer per tick, so one tick cannot run forever while writes pour in.
    private const int MaxRoundsPerTick = 100;

    private readonly CopyContents _contents = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private HashSet<string> _saving = new(StringComparer.Ordinal);
    private TaskCompletionSource? _nextSave;
    private bool _saveRunning;
    private string _group = "";
    private int _index;
    private int _copies;
    private string _replica = "";
    private HybridLogicalClock _clock = null!;
    private IAsyncStream<ReplicaChangeBatch>? _feed;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    private MultiPrimaryOptions Settings => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_group, _index) = MultiPrimaryKeys.Parse(this.GetPrimaryKeyString());
        _replica = $"{_index}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        _clock = new HybridLogicalClock(_replica, time, Settings.MaxClockDrift);
        foreach (var (key, value) in await store.LoadAsync(_group, _index, cancellationToken))
        {
            _contents.Merge(key, value);
            Observe(value);
        }

        // A copy stays active: its timer drives anti-entropy, and in the memory profile its data lives on this silo only.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        var interval = Settings.AntiEntropyInterval;
        var firstTick = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds);
        this.RegisterGrainTimer(RunAntiEntropyAsync, new GrainTimerCreationOptions(firstTick, interval) { Interleave = true });
    }

    public Task<CopyWriteResult> Set(string key, byte[] value, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateValue(value, Settings.MaxValueBytes);
        Accept(write);
        var stamp = _clock.Now();
        return WriteRegisterAsync(key, value, stamp, write.RequiredAcks);
    }

    public Task<CopyWriteResult> Delete(string key, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        Accept(write);
        var stamp = _clock.Now();
        return WriteRegisterAsync(key, null, stamp, write.RequiredAcks);
    }

    public async Task<RegisterRead> Get(string key, MultiPrimaryRead read)
    {
        var (value, copiesRead) = await ReadAsync(key, read);
        var register = value.Register ?? LwwRegister.Empty;
        return new RegisterRead(register.Value, register.Timestamp, copiesRead);
    }

    public Task<CopyWriteResult> Increment(string key, long amount, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateAmount(amount);
        Accept(write);
        var counter = (Current(key).Counter ?? PNCounter.Empty).Increment(_replica, amount);
        return WriteAsync(key, new ReplicatedValue(null, counter, null), _clock.Now(), write.RequiredAcks);
    }

    public Task<CopyWriteResult> Decrement(string key, long amount, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateAmount(amount);
        Accept(write);
        var counter = (Current(key).Counter ?? PNCounter.Empty).Decrement(_replica, amount);
        return WriteAsync(key, new ReplicatedValue(null, counter, null), _clock.Now(), write.RequiredAcks);
    }

    public async Task<CounterRead> GetCounter(string key, MultiPrimaryRead read)
    {
        var (value, copiesRead) = await ReadAsync(key, read);
        return new CounterRead((value.Counter ?? PNCounter.Empty).Value, copiesRead);
    }

    public Task<CopyWriteResult> AddElements(string key, IReadOnlyList<string> elements, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateElements(elements);
        Accept(write);
        var set = elements.Aggregate(Current(key).Set ?? ORSet.Empty, (s, element) => s.Add(_replica, element));
        return WriteAsync(key, new ReplicatedValue(null, null, set), _clock.Now(), write.RequiredAcks);
    }

    public Task<CopyWriteResult> RemoveElements(string key, IReadOnlyList<string> elements, MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateElements(elements);
        Accept(write);
        var set = elements.Aggregate(Current(key).Set ?? ORSet.Empty, (s, element) => s.Remove(element));
        return WriteAsync(key, new ReplicatedValue(null, null, set), _clock.Now(), write.RequiredAcks);
    }

    public async Task<SetRead> GetSet(string key, MultiPrimaryRead read)
    {
        var (value, copiesRead) = await ReadAsync(key, read);
        return new SetRead((value.Set ?? ORSet.Empty).Elements, copiesRead);
    }

    public Task<CopyStatus> GetStatus(int copies)
    {
        Accept(copies);
        return Task.FromResult(new CopyStatus(_group, _index, _copies, _replica, RuntimeIdentity, _contents.Count, _contents.Digest));
    }

    public async Task<int> SyncNow(int copies)
    {
        Accept(copies);
        var moved = await Task.WhenAll(PeerIndexes().Select(SyncWithPeerAsync));
        return moved.Sum();
    }

    public Task<ReplicaChangePage> ReadRegisterChanges(int copies, long afterVersion, int max)
    {
        Accept(copies);
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, ReplicaLimits.MaxChangesPerRead);
        var after = _contents.Registers
            .Select(static r => ChangeOf(r.Key, r.Value))
            .Where(c => c.Version > afterVersion)
            .OrderBy(static c => c.Version)
            .ThenBy(static c => c.Key, StringComparer.Ordinal)
            .ToList();
        if (after.Count <= max)
        {
            return Task.FromResult(new ReplicaChangePage(after, after.Count == 0 ? afterVersion : after[^1].Version, Sequenced: false, More: false));
        }

        // Never end a page inside a run of equal versions: the next page starts after the last version of this one.
        var last = after[max - 1].Version;
        var page = after.TakeWhile(c => c.Version <= last).ToList();
        return Task.FromResult(new ReplicaChangePage(page, last, Sequenced: false, More: page.Count < after.Count));
    }

    public Task MergeEntries(int copies, IReadOnlyDictionary<string, ReplicatedValue> entries)
    {
        Accept(copies);
        ValidateEntries(entries);
        return MergeLocalAsync(entries);
    }

    public Task<ReplicatedValue?> ReadEntry(int copies, string key)
    {
        Accept(copies);
        MultiPrimaryValidation.ValidateKey(key);
        return Task.FromResult(_contents.Get(key));
    }

    public Task<IReadOnlyList<ulong>> GetBucketDigests(int copies)
    {
        Accept(copies);
        return Task.FromResult(_contents.BucketDigests);
    }

    public Task<KeyDigests> GetKeyDigests(int copies, IReadOnlyList<int> buckets)
    {
        Accept(copies);
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Any(b => b is < 0 or >= MultiPrimaryLimits.DigestBuckets))
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), $"Buckets are 0–{MultiPrimaryLimits.DigestBuckets - 1}.");
        }

        return Task.FromResult(new KeyDigests(_contents.KeyDigests(buckets.Distinct())));
    }

    public async Task<IReadOnlyDictionary<string, ReplicatedValue>> Exchange(
        int copies, IReadOnlyDictionary<string, ReplicatedValue> entries, IReadOnlyList<string> wanted)
    {
        Accept(copies);
        ValidateEntries(entries);
        ArgumentNullException.ThrowIfNull(wanted);
        await MergeLocalAsync(entries);
        var answer = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
        foreach (var key in wanted)
        {
            if (_contents.Get(key) is { } value)
            {
                answer[key] = value;
            }
        }

        return answer;
    }

    /// <summary>Writes a register value (null: a tombstone) and, once acknowledged, publishes it on the change feed.</summary>
    private async Task<CopyWriteResult> WriteRegisterAsync(string key, byte[]? value, HlcTimestamp stamp, int requiredAcks)
    {
        var register = new LwwRegister(stamp, value);
        var result = await WriteAsync(key, new ReplicatedValue(register, null, null), stamp, requiredAcks);
        _ = PublishAsync(ChangeOf(key, register));
        return result;
    }

    private async Task PublishAsync(ReplicaChange change)
    {
        try
        {
            _feed ??= this.GetStreamProvider(ProviderNames.Streams)
                .GetStream<ReplicaChangeBatch>(StreamId.Create(ReplicaFeedStream.Namespace, ReplicaFeedStream.Key(_group)));
            await _feed.OnNextAsync(new ReplicaChangeBatch([change]));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPublishFailed(ex, _group, _index, change.Key);
        }
    }

    private static ReplicaChange ChangeOf(string key, LwwRegister register) =>
        new(key, register.Value, MultiPrimaryRouting.VersionOf(register.Timestamp), 0, register.Value is null, register.Timestamp.Node ?? string.Empty);

    /// <summary>Applies a local update, waits until it is durable here, then until enough peers hold it too.</summary>
    private async Task<CopyWriteResult> WriteAsync(string key, ReplicatedValue update, HlcTimestamp stamp, int requiredAcks)
    {
        _contents.Merge(key, update);
        await SaveAsync([key]);
        var pushed = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal) { [key] = _contents.Get(key) ?? update };
        var acks = 1 + await PushToPeersAsync(pushed, requiredAcks - 1);
        if (acks < requiredAcks)
        {
            throw new InsufficientCopiesException(_group, requiredAcks, acks);
        }

        return new CopyWriteResult(stamp, acks);
    }

    /// <summary>
    /// Pushes <paramref name="entries"/> to every peer; answers as soon as <paramref name="needed"/> of them confirmed
    /// (the others keep going), or with fewer once every push ended.
    /// </summary>
    private async Task<int> PushToPeersAsync(IReadOnlyDictionary<string, ReplicatedValue> entries, int needed)
    {
        var pending = PeerIndexes().Select(peer => PushAsync(peer, entries)).ToList();
        var confirmed = 0;
        while (confirmed < needed && pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (await done)
            {
                confirmed++;
            }
        }

        return confirmed;
    }

    private async Task<bool> PushAsync(int peer, IReadOnlyDictionary<string, ReplicatedValue> entries)
    {
        try
        {
            await Peer(peer).MergeEntries(_copies, entries).WaitAsync(Settings.PeerTimeout);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPeerFailed(ex, _group, _index, peer, "push");
            return false;
        }
    }

    /// <summary>Merges this copy's state with <c>ReadCopies - 1</c> peers' and repairs whoever was behind.</summary>
    private async Task<(ReplicatedValue Value, int CopiesRead)> ReadAsync(string key, MultiPrimaryRead read)
    {
        MultiPrimaryValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateRead(read);
        Accept(read.Copies);
        var needed = read.ReadCopies - 1;
        if (needed == 0)
        {
            return (Current(key), 1);
        }

        var pending = PeerIndexes().Select(peer => ReadPeerAsync(peer, key)).ToList();
        var answers = new List<(int Peer, ReplicatedValue Value)>();
        while (answers.Count < needed && pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (await done is { } answer)
            {
                answers.Add(answer);
            }
        }

        if (answers.Count < needed)
        {
            throw new InsufficientCopiesException(_group, read.ReadCopies, answers.Count + 1);
        }

        var merged = answers.Aggregate(Current(key), (state, answer) => state.Merge(answer.Value));
        if (!merged.Equals(ReplicatedValue.Empty))
        {
            var repair = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal) { [key] = merged };
            await MergeLocalAsync(repair);

            // Read repair of peers is best effort and off the read path; anti-entropy covers a lost repair.
            foreach (var (peer, _) in answers.Where(a => !a.Value.Equals(merged)))
            {
                _ = PushAsync(peer, repair);
            }
        }

        return (merged, answers.Count + 1);
    }

    private async Task<(int Peer, ReplicatedValue Value)?> ReadPeerAsync(int peer, string key)
    {
        try
        {
            var value = await Peer(peer).ReadEntry(_copies, key).WaitAsync(Settings.PeerTimeout);
            return (peer, value ?? ReplicatedValue.Empty);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPeerFailed(ex, _group, _index, peer, "read");
            return null;
        }
    }

    private async Task RunAntiEntropyAsync(CancellationToken cancellationToken)
    {
        await PurgeTombstonesAsync();
        if (_copies > 1)
        {
            await Task.WhenAll(PeerIndexes().Select(SyncWithPeerAsync));
        }
    }

    /// <summary>
    /// One anti-entropy exchange with <paramref name="peer"/>: compare bucket digests, then the differing buckets' key
    /// digests, then send the keys the peer lacks or holds differently and take back its states of the keys this copy
    /// lacks or holds differently. Both sides end with the merge of both for every exchanged key.
    /// </summary>
    /// <returns>How many key states were sent or received (0 if the peer failed).</returns>
    private async Task<int> SyncWithPeerAsync(int peer)
    {
        var moved = 0;
        try
        {
            var grain = Peer(peer);
            var batch = Settings.AntiEntropyBatchSize;
            for (var round = 0; round < MaxRoundsPerTick; round++)
            {
                var theirBuckets = await grain.GetBucketDigests(_copies).WaitAsync(Settings.PeerTimeout);
                var myBuckets = _contents.BucketDigests;
                var differing = Enumerable.Range(0, MultiPrimaryLimits.DigestBuckets).Where(b => theirBuckets[b] != myBuckets[b]).ToList();
                if (differing.Count == 0)
                {
                    return moved;
                }

                var theirKeys = (await grain.GetKeyDigests(_copies, differing).WaitAsync(Settings.PeerTimeout)).Digests;
                var myKeys = _contents.KeyDigests(differing);
                var send = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
                foreach (var (key, digest) in myKeys)
                {
                    if (send.Count < batch && (!theirKeys.TryGetValue(key, out var theirs) || theirs != digest))
                    {
                        send[key] = _contents.Get(key)!;
                    }
                }

                var wanted = theirKeys.Where(k => !myKeys.TryGetValue(k.Key, out var mine) || mine != k.Value).Select(k => k.Key).Take(batch).ToList();
                if (send.Count == 0 && wanted.Count == 0)
                {
                    return moved;
                }

                var received = await grain.Exchange(_copies, send, wanted).WaitAsync(Settings.PeerTimeout);
                await MergeLocalAsync(received);
                moved += send.Count + received.Count;
                if (send.Count < batch && wanted.Count < batch)
                {
                    return moved;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPeerFailed(ex, _group, _index, peer, "anti-entropy");
        }

        return moved;
    }

    /// <summary>Drops tombstones older than the retention (at most once a minute) and saves the keys that changed.</summary>
    private async Task PurgeTombstonesAsync()
    {
        var now = time.GetUtcNow();
        var retention = Settings.TombstoneRetention;
        if (now - _lastPurge < (retention < TimeSpan.FromMinutes(1) ? retention : TimeSpan.FromMinutes(1)))
        {
            return;
        }

        _lastPurge = now;
        var purged = _contents.PurgeTombstones(TombstoneCutoff());
        if (purged.Count > 0)
        {
            LogTombstonesPurged(_group, _index, purged.Count, retention);
            await SaveAsync(purged);
        }
    }

    /// <summary>Tombstones stamped before this wall time (ms) are past the retention.</summary>
    private long TombstoneCutoff() => (time.GetUtcNow() - Settings.TombstoneRetention).ToUnixTimeMilliseconds();

    /// <summary>
    /// Merges states from elsewhere; returns once every key they touched is durable here. A tombstone past the retention
    /// still wins over the older state it deletes, and is then dropped like the purge would.
    /// </summary>
    private Task MergeLocalAsync(IReadOnlyDictionary<string, ReplicatedValue> entries)
    {
        var touched = new List<string>();
        var cutoff = TombstoneCutoff();
        foreach (var (key, value) in entries)
        {
            Observe(value);

            // A key that did not change may still be waiting for its save (a concurrent merge brought the same state).
            if (_contents.Merge(key, value) | _contents.PurgeTombstone(key, cutoff) || _dirty.Contains(key) || _saving.Contains(key))
            {
                touched.Add(key);
            }
        }

        return touched.Count == 0 ? Task.CompletedTask : SaveAsync(touched);
    }

    /// <summary>Marks keys for saving and answers when a save that started after this call (so holds their current states) commits.</summary>
    private Task SaveAsync(IEnumerable<string> keys)
    {
        _dirty.UnionWith(keys);
        _nextSave ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saved = _nextSave.Task;
        if (!_saveRunning)
        {
            _ = RunSavesAsync();
        }

        return saved;
    }

    private async Task RunSavesAsync()
    {
        _saveRunning = true;
        try
        {
            while (_nextSave is { } batch)
            {
                _nextSave = null;
                _saving = [.. _dirty];
                _dirty.Clear();
                // A key purged since it was marked has no state: the save removes its record.
                var entries = _saving.Select(key => new KeyValuePair<string, ReplicatedValue?>(key, _contents.Get(key))).ToList();
                try
                {
                    await store.SaveAsync(_group, _index, entries, CancellationToken.None);
                    batch.SetResult();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogSaveFailed(ex, _group, _index, entries.Count);
                    batch.SetException(ex);
                    DeactivateOnIdle();
                }
            }
        }
        finally
        {
            _saving = new HashSet<string>(StringComparer.Ordinal);
            _saveRunning = false;
        }
    }

    private ReplicatedValue Current(string key) => _contents.Get(key) ?? ReplicatedValue.Empty;

    private void Accept(MultiPrimaryWrite write)
    {
        MultiPrimaryValidation.ValidateWrite(write);
        Accept(write.Copies);
    }

    /// <summary>Learns the group's replica count from a call (every call carries it, so a fresh activation knows it at once).</summary>
    private void Accept(int copies)
    {
        MultiPrimaryValidation.ValidateCopies(copies);
        if (_index >= copies)
        {
            throw new ArgumentOutOfRangeException(nameof(copies), copies, $"Copy {_index} does not exist in a group of {copies}.");
        }

        _copies = copies;
    }

    private void ValidateEntries(IReadOnlyDictionary<string, ReplicatedValue> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            MultiPrimaryValidation.ValidateKey(key);
            ArgumentNullException.ThrowIfNull(value, nameof(entries));
        }
    }

    private void Observe(ReplicatedValue value)
    {
        if (value.Register is { } register && register.Timestamp != HlcTimestamp.Zero && !_clock.TryReceive(register.Timestamp, out _))
        {
            LogClockDrift(_group, _index, register.Timestamp.ToString(), Settings.MaxClockDrift);
        }
    }

    private IEnumerable<int> PeerIndexes() => Enumerable.Range(0, _copies).Where(i => i != _index);

    private IMultiPrimaryCopyGrain Peer(int index) => GrainFactory.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(_group, index));
}
