using System.Collections.Concurrent;
using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// Coalesces this client's concurrent writes to one group into <see cref="IReplicaGroupGrain.WriteBatch"/> calls: one
/// lane per group with at most <see cref="MaxCallsInFlight"/> call under way (group commit). A write that finds the
/// lane free leaves at once (no timer, no added wait); writes arriving while the call is under way leave together in the
/// next one. The group handles and answers each write as it would a single <c>Set</c> or <c>Delete</c>, so outcomes
/// and failures are exactly those of single writes; only the messages are fewer (one per batch instead of one per write
/// each way). A call that stalls (its silo died under it) gives its slot to the writes behind it, so they reach the
/// group's failover. Calls enter the cluster at the group's silo when this client has found a way in there
/// (<see cref="ReplicaWriteRoute"/>): otherwise the gateway the client picked for the group is another silo two times
/// in three with three silos, one more hop each way. Until the way is known, or after a call through it failed, calls
/// go to the group grain directly.
/// </summary>
internal sealed class ReplicaWriteBatcher(IClusterClient client)
{
    /// <summary>
    /// Calls under way per group. One: while it travels, the writes behind it gather into the next call, so under load
    /// every call (and the primary's store and backup batches it becomes) carries more writes. Each call costs the silos
    /// and the database about the same whatever it carries, so with 32 writers on a 2-core cluster one call in flight
    /// needed 40 % less CPU per write than four and wrote faster (docs/benchmarks.md); a lone writer waits for nothing.
    /// </summary>
    private const int MaxCallsInFlight = 1;

    /// <summary>
    /// A call under way longer than this gives up its slot (and is still awaited): a call sent to a silo that just died
    /// is answered only when the client's response timeout ends it, and the group's later writes must not wait for that.
    /// </summary>
    private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(2);

    /// <summary>Value bytes per call beyond which a batch is cut (a single larger value still travels alone).</summary>
    private const int MaxBatchBytes = 1024 * 1024;

    /// <summary>Above this many remembered groups idle lanes are dropped (a lane is cheap to create again).</summary>
    private const int MaxLanes = 10_000;

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly ReplicaWriteEntries _entries = new(client);

    /// <summary>Sends the write with the next call to <paramref name="group"/>; completes with its result or failure.</summary>
    public Task<ReplicaWriteResult> WriteAsync(string group, ReplicaWriteRequest request, CancellationToken cancellationToken)
    {
        if (_lanes.Count >= MaxLanes)
        {
            foreach (var (name, idle) in _lanes.Where(l => l.Value.IsIdle).ToList())
            {
                _lanes.TryRemove(new KeyValuePair<string, Lane>(name, idle));
            }
        }

        var done = _lanes.GetOrAdd(group, name => new Lane(name, client.GetGrain<IReplicaGroupGrain>(name), _entries)).Enqueue(request);
        return cancellationToken.CanBeCanceled ? done.WaitAsync(cancellationToken) : done;
    }

    private sealed class Lane(string name, IReplicaGroupGrain group, ReplicaWriteEntries entries)
    {
        private readonly Lock _lock = new();
        private readonly Queue<Item> _queue = new();
        private readonly ReplicaWriteRoute _route = new(group, entries);
        private int _inFlight;

        public bool IsIdle
        {
            get
            {
                lock (_lock)
                {
                    return _inFlight == 0 && _queue.Count == 0;
                }
            }
        }

        public Task<ReplicaWriteResult> Enqueue(ReplicaWriteRequest request)
        {
            var item = new Item(request);
            List<Item>? batch = null;
            lock (_lock)
            {
                _queue.Enqueue(item);
                if (_inFlight < MaxCallsInFlight)
                {
                    _inFlight++;
                    batch = TakeBatch();
                }
            }

            if (batch is not null)
            {
                _ = SendAsync(batch);
            }

            return item.Done;
        }

        /// <summary>The queue's head and the writes behind it, up to the limits. Under the lock.</summary>
        private List<Item> TakeBatch()
        {
            var batch = new List<Item>(Math.Min(_queue.Count, ReplicaLimits.MaxWritesPerBatch));
            var bytes = 0L;
            while (batch.Count < ReplicaLimits.MaxWritesPerBatch && _queue.TryPeek(out var next)
                && (batch.Count == 0 || bytes + (next.Request.Value?.Length ?? 0) <= MaxBatchBytes))
            {
                batch.Add(_queue.Dequeue());
                bytes += next.Request.Value?.Length ?? 0;
            }

            return batch;
        }

        private async Task SendAsync(List<Item> batch)
        {
            while (true)
            {
                var entry = _route.Current();
                var requests = batch.ConvertAll(i => i.Request);
                var call = entry is null ? group.WriteBatch(requests) : entry.Grain.WriteBatch(name, requests);
                await ((Task)call).WaitAsync(StalledAfter).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                var holdsSlot = call.IsCompleted;
                if (!holdsSlot)
                {
                    HandOverSlot();
                }

                if (!await AnswerAsync(batch, call).ConfigureAwait(false) && entry is not null)
                {
                    _route.Failed(entry);
                }

                if (!holdsSlot)
                {
                    return;
                }

                // The writers just answered continue on the thread pool, and under load most of them write again at
                // once. Letting them run first puts their next writes into the next call with the ones already
                // waiting: otherwise the writers split into cohorts that take turns, each call carries a part of them,
                // and every call costs the cluster about the same whatever it carries. Their answers were queued to the
                // pool's global queue (Item.Answer) and Task.Yield queues there too, behind them, so the next call
                // leaves after they ran (32 writers on 2 cores: 16 writes per call with neither, 29 with the yield
                // alone, 32 with both; docs/benchmarks.md). A yield that stays on this thread's local queue
                // (ConfigureAwaitOptions.ForceYielding) would run first. No context is captured here: a grain call
                // answers later, so the wait for it above resumed on the pool.
                await Task.Yield();
                lock (_lock)
                {
                    if (_queue.Count == 0)
                    {
                        _inFlight--;
                        return;
                    }

                    batch = TakeBatch();
                }
            }
        }

        /// <summary>A stalled call's slot goes to the writes waiting behind it, or back to the lane.</summary>
        private void HandOverSlot()
        {
            List<Item>? next = null;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _inFlight--;
                }
                else
                {
                    next = TakeBatch();
                }
            }

            if (next is not null)
            {
                _ = SendAsync(next);
            }
        }

        /// <summary>
        /// Answers each write of the batch. False when the call failed on its way (not with an answer of the group),
        /// which may mean the way in is gone.
        /// </summary>
        private static async Task<bool> AnswerAsync(List<Item> batch, Task<IReadOnlyList<ReplicaWriteOutcome>> call)
        {
            try
            {
                var outcomes = await call.ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Result is { } result)
                    {
                        batch[i].Answer(result, null);
                    }
                    else
                    {
                        batch[i].Answer(null, outcomes[i].Error ?? new ReplicaUnavailableException("The group answered neither a result nor an error for the write."));
                    }
                }

                return true;
            }
#pragma warning disable CA1031 // the call's failure is each of its writes' failure, as it would be for a single write
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                {
                    item.Answer(null, ex);
                }

                return ex is ArgumentException or ReplicaGroupNotFoundException or ReplicaUnavailableException or ReplicaVersionConflictException;
            }
        }
    }

    private sealed class Item(ReplicaWriteRequest request)
    {
        private readonly TaskCompletionSource<ReplicaWriteResult> _done = new();

        public ReplicaWriteRequest Request { get; } = request;

        public Task<ReplicaWriteResult> Done => _done.Task;

        /// <summary>
        /// Completes the write from the thread pool's global queue, never inline: the writer's continuation runs there
        /// (it may write again at once), and the lane's next call, queued there after it, leaves behind it.
        /// </summary>
        public void Answer(ReplicaWriteResult? result, Exception? error) =>
            ThreadPool.UnsafeQueueUserWorkItem(
                static answer =>
                {
                    if (answer.Result is { } result)
                    {
                        answer.Done.TrySetResult(result);
                    }
                    else
                    {
                        answer.Done.TrySetException(answer.Error!);
                    }
                },
                (Done: _done, Result: result, Error: error),
                preferLocal: false);
    }
}
