using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Replication;

/// <inheritdoc cref="IReplicaGroupGrain"/>
/// <remarks>
/// Reentrant: it only routes, so many operations are in flight at once; the primary copy orders writes. State changes
/// (configuration, failover) are the only writes of its small persisted state, and failovers run one at a time.
/// Placed on the silo of copy 0, the first primary (<see cref="ReplicaCopyPlacement"/>), so a write's call from the
/// group to the primary stays in the silo until a failover moves the primary.
/// </remarks>
[Reentrant]
[ReplicaCopyPlacement]
internal sealed partial class ReplicaGroupGrain(
    [PersistentState("replica-group", ProviderNames.GrainStorage)] IPersistentState<ReplicaGroupState> state,
    IReplicaStore store,
    ILocalSiloDetails siloDetails,
    ILogger<ReplicaGroupGrain> logger) : Grain, IReplicaGroupGrain
{
    /// <summary>How long the group waits for one copy during failover, status and non-primary reads.</summary>
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromSeconds(5);

    private const int MaxAttempts = 3;
    private Task? _failover;

    private string Group => this.GetPrimaryKeyString();

    /// <summary>
    /// In the embedded profile the configuration is stored in one silo's memory: if that silo died, it is recovered from
    /// the records kept on the copies' silos (see <see cref="SaveStateAsync"/>).
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        !state.State.Configured && store.IsVolatile ? RecallConfigurationAsync(cancellationToken) : Task.CompletedTask;

    public async Task<ReplicaGroupStatus> Configure(ReplicationMode mode, int replicas, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(Group);
        ReplicaValidation.ValidateEnum(mode, nameof(mode));
        ReplicaValidation.ValidateReplicas(replicas);
        if (state.State.Configured)
        {
            if (state.State.Mode != mode)
            {
                throw new ArgumentException($"Replica group '{Group}' is {Describe(state.State.Mode)}; its mode cannot change.", nameof(mode));
            }

            if (state.State.Replicas != replicas)
            {
                throw new ArgumentException($"Replica group '{Group}' has {state.State.Replicas} copies; the count cannot change.", nameof(replicas));
            }

            return await GetStatus(cancellationToken);
        }

        state.State = new ReplicaGroupState { Configured = true, Mode = mode, Replicas = replicas, Epoch = 1, Primary = 0 };
        await SaveStateAsync(cancellationToken);
        if (mode == ReplicationMode.MultiPrimary)
        {
            // Every copy accepts writes: there is no primary to appoint; copies activate on first use.
            LogConfigured(Group, replicas);
            return await GetStatus(cancellationToken);
        }

        try
        {
            await Copy(0).BecomePrimary(1, replicas);
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            // The first write fails over to a reachable copy.
            LogCopyUnreachable(ex, Group, 0);
        }

        LogConfigured(Group, replicas);
        return await GetStatus(cancellationToken);
    }

    public async Task<ReplicaGroupStatus> GetStatus(CancellationToken cancellationToken = default)
    {
        var config = Require();
        if (config.Mode == ReplicationMode.MultiPrimary)
        {
            return await MultiPrimaryRouting.StatusAsync(GrainFactory, Group, config, cancellationToken);
        }

        var states = await AskAllAsync(i => Copy(i).GetState());
        var primaryHigh = states[config.Primary]?.High ?? states.Max(s => s?.High ?? 0);
        var copies = new ReplicaCopyStatus[config.Replicas];
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = states[i] is { } s
                ? new ReplicaCopyStatus(i, s.Silo, i == config.Primary && s.IsPrimary ? ReplicaRole.Primary : ReplicaRole.Backup, s.High, Math.Max(0, primaryHigh - s.High), s.PromisedEpoch)
                : new ReplicaCopyStatus(i, null, ReplicaRole.Unreachable, 0, 0, 0);
        }

        var silos = copies.Where(c => c.Silo is not null).Select(c => c.Silo).Distinct(StringComparer.Ordinal).Count();
        var answered = copies.Count(c => c.Silo is not null);
        return new ReplicaGroupStatus(Group, config.Mode, config.Epoch, config.Replicas, config.Primary, silos == answered, copies);
    }

    public Task<ReplicaWriteResult> Set(string key, byte[] value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateValue(value);
        return WriteAsync(key, value, write, expectedVersion, cancellationToken);
    }

    public Task<ReplicaWriteResult> Delete(string key, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(key, null, write, expectedVersion, cancellationToken);

    public async Task<IReadOnlyList<ReplicaWriteOutcome>> WriteBatch(IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count is 0 or > ReplicaLimits.MaxWritesPerBatch)
        {
            throw new ArgumentException($"A batch holds 1 to {ReplicaLimits.MaxWritesPerBatch} writes, not {writes.Count}.", nameof(writes));
        }

        var config = Require();
        var outcomes = new ReplicaWriteOutcome?[writes.Count];
        if (config.Mode == ReplicationMode.PrimaryBackup)
        {
            await WriteBatchAtPrimaryAsync(config, writes, outcomes, cancellationToken);
        }

        // What the primary's batch did not settle (multi-primary groups, bad input, a refused or unreachable primary)
        // takes the path a single write takes, with its failover and retries.
        var calls = new Task<ReplicaWriteResult>?[writes.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = outcomes[i] is null ? WriteOneAsync(writes[i], cancellationToken) : null;
        }

        for (var i = 0; i < calls.Length; i++)
        {
            if (calls[i] is not { } call)
            {
                continue;
            }

            try
            {
                outcomes[i] = new ReplicaWriteOutcome(await call, null);
            }
#pragma warning disable CA1031 // each write's failure is its own answer, as Set or Delete would have thrown it
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcomes[i] = new ReplicaWriteOutcome(null, ex);
            }
        }

        return outcomes!;
    }

    /// <summary>
    /// Sends the valid writes of a batch to the primary in one call and fills in the outcomes it settles. Refused writes
    /// stay open (the caller retries them one by one after failover); when the call timed out, each write is unavailable
    /// (it may or may not have happened), as it would be alone.
    /// </summary>
    private async Task WriteBatchAtPrimaryAsync(ReplicaGroupState config, IReadOnlyList<ReplicaWriteRequest> writes, ReplicaWriteOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var valid = new List<int>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            if (PrimaryBackup.PrimaryCall.Accepts(writes[i]))
            {
                valid.Add(i);
            }
        }

        if (valid.Count == 0)
        {
            return;
        }

        var (epoch, primary) = (config.Epoch, config.Primary);
        IReadOnlyList<ReplicaCopyWriteOutcome> answers;
        try
        {
            var calledAt = Stopwatch.GetTimestamp();
            answers = await Copy(primary).WriteBatch(epoch, valid.ConvertAll(i => writes[i]), cancellationToken);
            PrimaryBackup.ReplicationMetrics.GroupToPrimary.Record(PrimaryBackup.ReplicationMetrics.Since(calledAt));
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            LogCopyUnreachable(ex, Group, primary);
            await FailoverAsync(epoch, cancellationToken);
            if (ex is TimeoutException timeout)
            {
                var unavailable = PrimaryBackup.PrimaryCall.TimedOut(Group, timeout);
                foreach (var i in valid)
                {
                    outcomes[i] = new ReplicaWriteOutcome(null, unavailable);
                }
            }

            return;
        }

        for (var n = 0; n < valid.Count; n++)
        {
            var i = valid[n];
            outcomes[i] = PrimaryBackup.PrimaryCall.Outcome(Group, writes[i], answers[n]);
        }
    }

    public Task<SiloAddress> GetHostSilo() => Task.FromResult(siloDetails.SiloAddress);

    public Task<ReplicaWriteTarget?> GetWriteTarget()
    {
        var config = Require();
        return Task.FromResult(config.Mode == ReplicationMode.PrimaryBackup ? new ReplicaWriteTarget(config.Epoch, config.Primary) : null);
    }

    public async Task<ReplicaReadResult> Get(string key, ReadConsistency read, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(read, nameof(read));
        var config = Require();
        if (config.Mode == ReplicationMode.MultiPrimary)
        {
            return await MultiPrimaryRouting.ReadAsync(GrainFactory, Group, config.Replicas, key, read, logger, cancellationToken);
        }

        switch (read)
        {
            case ReadConsistency.Any:
                // Start at a different copy each time so reads spread; the first that answers wins.
                var start = Random.Shared.Next(config.Replicas);
                Exception? last = null;
                for (var n = 0; n < config.Replicas; n++)
                {
                    try
                    {
                        return await Copy((start + n) % config.Replicas).Read(key, null).WaitAsync(CopyTimeout, cancellationToken);
                    }
                    catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
                    {
                        last = ex;
                    }
                }

                throw new ReplicaUnavailableException($"No copy of replica group '{Group}' answered.", last!);
            case ReadConsistency.Majority:
                var answers = (await AskAllAsync(i => Copy(i).Read(key, null))).Where(a => a is not null).ToList();
                var majority = (config.Replicas / 2) + 1;
                if (answers.Count < majority)
                {
                    throw new ReplicaUnavailableException($"Only {answers.Count} of {config.Replicas} copies of replica group '{Group}' answered; a majority is {majority}.");
                }

                return answers.MaxBy(a => a!.Version)!;
            default:
                return await OnPrimaryAsync((copy, epoch) => copy.Read(key, epoch), cancellationToken);
        }
    }

    public Task<ReplicaWriteResult> AddToCounter(string key, long delta, WriteConsistency write, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(write, nameof(write));
        if (delta is 0 or long.MinValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must not be 0 (or long.MinValue).");
        }

        var config = RequireMultiPrimary("counters");
        return MultiPrimaryRouting.AddToCounterAsync(GrainFactory, Group, config.Replicas, key, delta, write, logger, cancellationToken);
    }

    public Task<long> GetCounter(string key, ReadConsistency read, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(read, nameof(read));
        var config = RequireMultiPrimary("counters");
        return MultiPrimaryRouting.GetCounterAsync(GrainFactory, Group, config.Replicas, key, read, logger, cancellationToken);
    }

    public Task<ReplicaWriteResult> UpdateSet(string key, IReadOnlyList<string> elements, bool remove, WriteConsistency write, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        MultiPrimaryValidation.ValidateElements(elements);
        ReplicaValidation.ValidateEnum(write, nameof(write));
        var config = RequireMultiPrimary("sets");
        return MultiPrimaryRouting.UpdateSetAsync(GrainFactory, Group, config.Replicas, key, elements, remove, write, logger, cancellationToken);
    }

    public Task<IReadOnlyList<string>> GetSet(string key, ReadConsistency read, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(read, nameof(read));
        var config = RequireMultiPrimary("sets");
        return MultiPrimaryRouting.GetSetAsync(GrainFactory, Group, config.Replicas, key, read, logger, cancellationToken);
    }

    public Task<ReplicaChangePage> ReadChanges(long afterVersion, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        var config = Require();
        if (config.Mode == ReplicationMode.MultiPrimary)
        {
            return MultiPrimaryRouting.ReadChangesAsync(GrainFactory, Group, config.Replicas, afterVersion, max, logger, cancellationToken);
        }

        return OnPrimaryAsync((copy, epoch) => copy.ReadChanges(epoch, afterVersion, max), cancellationToken);
    }

    private async Task<ReplicaWriteResult> WriteOneAsync(ReplicaWriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Value is not null)
        {
            ReplicaValidation.ValidateValue(request.Value);
        }

        return await WriteAsync(request.Key, request.Value, request.Write, request.ExpectedVersion, cancellationToken);
    }

    private async Task<ReplicaWriteResult> WriteAsync(string key, byte[]? value, WriteConsistency write, long? expectedVersion, CancellationToken cancellationToken)
    {
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(write, nameof(write));
        ReplicaValidation.ValidateExpectedVersion(expectedVersion);
        var config = Require();
        if (config.Mode == ReplicationMode.MultiPrimary)
        {
            return await MultiPrimaryRouting.WriteAsync(GrainFactory, Group, config.Replicas, key, value, write, expectedVersion, logger, cancellationToken);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (epoch, primary) = (config.Epoch, config.Primary);
            ReplicaCopyWriteOutcome outcome;
            try
            {
                var calledAt = Stopwatch.GetTimestamp();
                outcome = await Copy(primary).Write(epoch, key, value, write, expectedVersion, cancellationToken);
                PrimaryBackup.ReplicationMetrics.GroupToPrimary.Record(PrimaryBackup.ReplicationMetrics.Since(calledAt));
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                LogCopyUnreachable(ex, Group, primary);
                await FailoverAsync(epoch, cancellationToken);
                if (ex is TimeoutException timeout)
                {
                    // The write may have happened; only the caller knows whether repeating it is safe.
                    throw PrimaryBackup.PrimaryCall.TimedOut(Group, timeout);
                }

                continue;
            }

            if (PrimaryBackup.PrimaryCall.Outcome(Group, new ReplicaWriteRequest(key, value, write, expectedVersion), outcome) is { } settled)
            {
                return settled.Result ?? throw settled.Error!;
            }

            // Refused before ordering it: the copy is not (or no longer) primary. Safe to retry after failover.
            await FailoverAsync(epoch, cancellationToken);
        }

        throw new ReplicaUnavailableException($"Replica group '{Group}' has no primary that accepts writes; retry.");
    }

    private async Task<T> OnPrimaryAsync<T>(Func<IReplicaCopyGrain, long, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var config = Require();
            var epoch = config.Epoch;
            try
            {
                return await call(Copy(config.Primary), epoch);
            }
            catch (Exception ex) when ((ReplicaFaults.IsUnreachable(ex) || ex is ReplicaUnavailableException) && attempt + 1 < MaxAttempts)
            {
                await FailoverAsync(epoch, cancellationToken);
            }
        }
    }

    /// <summary>Runs one failover from <paramref name="observedEpoch"/>, or joins the one under way; no-op if a newer epoch exists.</summary>
    private async Task FailoverAsync(long observedEpoch, CancellationToken cancellationToken)
    {
        if (_failover is { IsCompleted: false } running)
        {
            await running.WaitAsync(cancellationToken);
            return;
        }

        if (state.State.Epoch != observedEpoch)
        {
            return;
        }

        _failover = RunFailoverAsync();
        await _failover.WaitAsync(cancellationToken);
    }

    private async Task RunFailoverAsync()
    {
        var config = state.State;
        var oldPrimary = config.Primary;
        var epoch = config.Epoch + 1;

        // The epoch is durable before any copy hears of it, so it never goes back.
        config.Epoch = epoch;
        await SaveStateAsync(CancellationToken.None);

        // A majority must promise the new epoch: any majority the old primary could still reach overlaps it, so the old
        // primary can no longer get a write acknowledged at majority.
        var promised = await AskAllAsync(i => Copy(i).Promise(epoch));
        var majority = (config.Replicas / 2) + 1;
        var answered = promised.Count(p => p is not null);
        if (answered < majority)
        {
            throw new ReplicaUnavailableException($"Failover of replica group '{Group}' to epoch {epoch}: only {answered} of {config.Replicas} copies answered; a majority is {majority}.");
        }

        // The copy with the highest (epoch of its last write, version) holds every write acknowledged at majority.
        var candidates = promised
            .Select((p, i) => (State: p, Index: i))
            .Where(c => c.State is { Consistent: true } s && s.PromisedEpoch == epoch)
            .OrderByDescending(c => c.State!.LastEntryEpoch)
            .ThenByDescending(c => c.State!.High)
            .ThenBy(c => c.Index == oldPrimary ? 0 : 1)
            .ThenBy(c => c.Index)
            .ToList();
        foreach (var candidate in candidates)
        {
            try
            {
                var elected = await Copy(candidate.Index).BecomePrimary(epoch, config.Replicas).WaitAsync(CopyTimeout);
                if (!elected.IsPrimary)
                {
                    continue;
                }

                config.Primary = candidate.Index;
                await SaveStateAsync(CancellationToken.None);
                LogFailedOver(Group, epoch, oldPrimary, candidate.Index, candidate.State!.High);
                return;
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                LogCopyUnreachable(ex, Group, candidate.Index);
            }
        }

        throw new ReplicaUnavailableException($"Failover of replica group '{Group}' to epoch {epoch}: no consistent copy could become primary.");
    }

    /// <summary>Calls every copy at once, each bounded by <see cref="CopyTimeout"/>; null where a copy did not answer.</summary>
    private Task<T?[]> AskAllAsync<T>(Func<int, Task<T>> call)
        where T : class =>
        Task.WhenAll(Enumerable.Range(0, Require().Replicas).Select(i => AskOrNullAsync(i, () => call(i), CancellationToken.None)));

    /// <summary>
    /// Writes the configuration; in the embedded profile also keeps it on every copy's silo (best effort: a copy's silo that
    /// does not answer is skipped, since recovery takes the newest record among those that survive).
    /// </summary>
    private async Task SaveStateAsync(CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
        if (!store.IsVolatile)
        {
            return;
        }

        var config = state.State;
        var record = new ReplicaGroupRecord(config.Mode, config.Replicas, config.Epoch, config.Primary);
        await Task.WhenAll(Enumerable.Range(0, config.Replicas).Select(async i =>
        {
            try
            {
                await Record(i).Keep(record).WaitAsync(CopyTimeout, cancellationToken);
            }
            catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
            {
                LogCopyUnreachable(ex, Group, i);
            }
        }));
    }

    /// <summary>
    /// Takes the newest record kept on the copies' silos. For primary-backup the epoch is also raised to the highest any
    /// copy promised (a failover may have promised one whose record did not reach a surviving silo), so the next failover
    /// moves past every epoch used before.
    /// </summary>
    private async Task RecallConfigurationAsync(CancellationToken cancellationToken)
    {
        var records = await Task.WhenAll(Enumerable.Range(0, ReplicaLimits.MaxReplicas).Select(i => AskOrNullAsync(i, () => Record(i).Get(), cancellationToken)));
        var latest = records.Where(r => r is not null).MaxBy(r => r!.Epoch);
        if (latest is null)
        {
            return;
        }

        var epoch = latest.Epoch;
        if (latest.Mode == ReplicationMode.PrimaryBackup)
        {
            var copies = await Task.WhenAll(Enumerable.Range(0, latest.Replicas).Select(i => AskOrNullAsync(i, () => Copy(i).GetState(), cancellationToken)));
            epoch = Math.Max(epoch, copies.Max(c => c?.PromisedEpoch ?? 0));
        }

        state.State = new ReplicaGroupState { Configured = true, Mode = latest.Mode, Replicas = latest.Replicas, Epoch = epoch, Primary = latest.Primary };
        await SaveStateAsync(cancellationToken);
        LogRecovered(Group, latest.Replicas, epoch, latest.Primary);
    }

    private async Task<T?> AskOrNullAsync<T>(int copy, Func<Task<T>> call, CancellationToken cancellationToken)
        where T : class?
    {
        try
        {
            return await call().WaitAsync(CopyTimeout, cancellationToken);
        }
        catch (Exception ex) when (ReplicaFaults.IsUnreachable(ex))
        {
            LogCopyUnreachable(ex, Group, copy);
            return null;
        }
    }

    private ReplicaGroupState Require()
    {
        if (!state.State.Configured)
        {
            throw ReplicaGroupNotFoundException.ForGroup(Group);
        }

        return state.State;
    }

    /// <summary>The configuration of a multi-primary group; CRDT operations on a primary-backup group are bad input.</summary>
    private ReplicaGroupState RequireMultiPrimary(string what)
    {
        var config = Require();
        if (config.Mode != ReplicationMode.MultiPrimary)
        {
            throw new ArgumentException(
                $"Replica group '{Group}' is primary-backup; {what} are CRDTs that only multi-primary groups hold.", "group");
        }

        return config;
    }

    private IReplicaCopyGrain Copy(int index) => GrainFactory.GetGrain<IReplicaCopyGrain>(ReplicaCopyKey.Format(Group, index));

    private IReplicaGroupRecordGrain Record(int index) => GrainFactory.GetGrain<IReplicaGroupRecordGrain>(ReplicaCopyKey.Format(Group, index));

    private static string Describe(ReplicationMode mode) => mode == ReplicationMode.MultiPrimary ? "multi-primary" : "primary-backup";

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica group {Group} configured with {Replicas} copies (epoch 1, primary 0)")]
    private partial void LogConfigured(string group, int replicas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group} failed over to epoch {Epoch}: primary {Old} -> {New} (version {Version})")]
    private partial void LogFailedOver(string group, long epoch, int old, int @new, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica group {Group} recovered its configuration from its copies' silos: {Replicas} copies, epoch {Epoch}, primary {Primary}")]
    private partial void LogRecovered(string group, int replicas, long epoch, int primary);

    private void LogCopyUnreachable(Exception exception, string group, int copy) => ReplicaLog.CopyUnreachable(logger, exception, group, copy);
}
