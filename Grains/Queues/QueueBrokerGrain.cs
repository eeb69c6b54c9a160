using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IQueueBrokerGrain"/>
/// <remarks>
/// Reentrant stateless worker: a long-poll only awaits other grains and timers, so one activation serves many waiting
/// receivers instead of blocking the silo's few worker activations. Its only state is a cache of partition counts,
/// which never change once a queue exists.
/// </remarks>
[StatelessWorker]
[Reentrant]
internal sealed partial class QueueBrokerGrain(IOptions<QueueOptions> options, TimeProvider time, ILogger<QueueBrokerGrain> logger) : Grain, IQueueBrokerGrain
{
    private const int MaxCachedQueues = 10_000;
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);

    // A heartbeat answer stands in for the group grain on receives for a tenth of the lease: the lease keeps at least
    // nine tenths of its time, and a silent consumer is still expired by the next heartbeat at most that much later.
    private readonly ConsumerAssignmentCache _assignments = new(options.Value.ConsumerLease / 10);
    private int _rotation;
    private int _stickyRotation = Random.Shared.Next();

    public async Task<IReadOnlyList<string>> Publish(string queue, IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken = default)
    {
        QueueValidation.ValidatePublish(queue, messages);
        var partitions = await PartitionsOf(queue);

        // Ids are fixed here, before routing, so a message without a key is routed (and deduplicated) by its id. The
        // messages with neither key nor id get ids of one partition, taken in turn per publish: one append (one commit)
        // for the batch instead of one per partition, while a republish of such an id still lands where it was stored.
        var sticky = messages.Any(m => m.Id is null && m.Key is null) ? (int)((uint)_stickyRotation++ % (uint)partitions) : 0;
        var withIds = messages
            .Select(m => m.Id is not null ? m : m with { Id = m.Key is null ? QueuePartitioner.NewIdIn(sticky, partitions) : Guid.NewGuid().ToString("N") })
            .ToList();
        var batches = withIds
            .GroupBy(m => QueuePartitioner.PartitionOf(m, partitions))
            .Select(g => GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(queue, g.Key)).Append(g.ToList()));
        await Task.WhenAll(batches);
        return withIds.Select(m => m.Id!).ToList();
    }

    public async Task<IReadOnlyList<QueueDelivery>> Receive(
        string queue, string group, string consumer, int max, TimeSpan wait, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        QueueValidation.ValidateReceive(queue, group, consumer, max, wait, visibility);
        return await ReceiveCore(queue, group, consumer, max, wait, visibility, null, cancellationToken);
    }

    /// <summary>
    /// The receive long-poll. <paramref name="acks"/> (by partition) are applied on the first round before anything is
    /// handed out: those of an owned partition ride on that partition's receive call, the others are sent on their own.
    /// </summary>
    private async Task<IReadOnlyList<QueueDelivery>> ReceiveCore(
        string queue, string group, string consumer, int max, TimeSpan wait, TimeSpan visibility,
        Dictionary<int, IReadOnlyList<QueueReceipt>>? acks, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, QueueLimits.MaxWaitPerCallMs));
        var groupGrain = GrainFactory.GetGrain<IConsumerGroupGrain>(QueueKeys.Group(queue, group));

        // Waits are sliced so the consumer's lease is renewed (each loop heartbeats) and a rebalance is noticed.
        var slice = options.Value.ConsumerLease / 3;
        var rebalanceSeen = false;
        while (true)
        {
            // A cancelled receive (the consumer stopped and may already have left) must not heartbeat again: that
            // would re-register the consumer as a ghost holding partitions until its lease runs out.
            if (cancellationToken.IsCancellationRequested)
            {
                await SendAcksAsync(queue, group, acks, _ => true);
                return [];
            }

            // After waking for a rebalance, only look: that rebalance may be this consumer's own leave. Otherwise a
            // heartbeat answer of this consumer from inside the renewal period stands in for the heartbeat.
            var groupKey = QueueKeys.Group(queue, group);
            ConsumerAssignment? assignment;
            var cached = false;
            if (rebalanceSeen)
            {
                _assignments.Forget(groupKey, consumer);
                assignment = await groupGrain.GetAssignment(consumer);
            }
            else if (_assignments.TryGet(groupKey, consumer, time.GetUtcNow(), out var known))
            {
                assignment = known;
                cached = true;
            }
            else
            {
                assignment = await HeartbeatAsync(queue, group, groupGrain, consumer);
            }

            if (assignment is null)
            {
                await SendAcksAsync(queue, group, acks, _ => true);
                return [];
            }

            rebalanceSeen = false;
            var partitions = assignment.Partitions;

            // Acks of partitions this consumer does not own (any more) go on their own, before anything is handed out.
            await SendAcksAsync(queue, group, acks, p => !partitions.Contains(p));

            var deliveries = new List<QueueDelivery>();
            if (partitions.Count > 0)
            {
                var maxInFlight = (options.Value.MaxInFlightPerConsumer + partitions.Count - 1) / partitions.Count;
                var start = _rotation++;
                ExceptionDispatchInfo? failure = null;
                for (var i = 0; i < partitions.Count && deliveries.Count < max; i++)
                {
                    var partition = partitions[(start + i) % partitions.Count];
                    var grain = GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, partition));
                    try
                    {
                        if (acks is not null && acks.Remove(partition, out var partitionAcks))
                        {
                            deliveries.AddRange(await grain.AckAndReceive(partitionAcks, consumer, assignment.Generation, max - deliveries.Count, visibility, maxInFlight));
                        }
                        else
                        {
                            deliveries.AddRange(await grain.Receive(consumer, assignment.Generation, max - deliveries.Count, visibility, maxInFlight));
                        }
                    }
                    catch (Exception ex) when (ex is not ArgumentException)
                    {
                        // One partition failing (e.g. its silo just died) must not throw away what the others already
                        // handed out: those would stay invisible until their visibility timeout and then arrive after
                        // later messages of their key. The failed partition is asked again on the next call.
                        LogPartitionReceiveFailed(ex, queue, group, partition, consumer);
                        failure ??= ExceptionDispatchInfo.Capture(ex);
                    }
                }

                if (deliveries.Count == 0)
                {
                    failure?.Throw();
                }
            }

            // Owned partitions the loop did not reach (max was handed out already) still get their acks; later rounds
            // of the long-poll carry none.
            await SendAcksAsync(queue, group, acks, _ => true);
            acks = null;

            if (cancellationToken.IsCancellationRequested && deliveries.Count > 0)
            {
                // Nobody will read this answer: hand the messages straight back instead of leaving them invisible
                // until their visibility timeout.
                await Nack(queue, group, deliveries.Select(d => d.Receipt).ToList(), requeue: true);
                return [];
            }

            if (deliveries.Count == 0 && cached)
            {
                // Nothing handed out on a remembered assignment: it may be stale (a rebalance whose watch answer is still
                // on its way). Ask the group again before answering empty or waiting, and only look: the consumer may
                // have left while this round ran (its client cancelled the receive, then left, and the cancellation
                // reaches this grain last), and a heartbeat now would register it again as a ghost.
                _assignments.Forget(groupKey, consumer);
                rebalanceSeen = true;
                continue;
            }

            var remaining = deadline - time.GetUtcNow();
            if (deliveries.Count > 0 || remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
            {
                return deliveries;
            }

            var waitFor = remaining < slice ? remaining : slice;
            if (partitions.Count == 0)
            {
                // Nothing to be woken by: more consumers than partitions. Check the assignment again shortly.
                await Task.Delay(waitFor < TimeSpan.FromSeconds(1) ? waitFor : TimeSpan.FromSeconds(1), time, cancellationToken);
                continue;
            }

            // A rebalance may hand this consumer a partition it is not waiting on: wake for that too.
            var rebalance = groupGrain.WaitForRebalance(assignment.Generation, waitFor, cancellationToken);
            await Task.WhenAny(partitions
                .Select(p => (Task)GrainFactory
                    .GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, p))
                    .WaitForMessages(consumer, waitFor, cancellationToken))
                .Append(rebalance));
            rebalanceSeen = rebalance.IsCompletedSuccessfully && rebalance.Result > assignment.Generation;
        }
    }

    public async Task<IReadOnlyList<QueueDelivery>> AckAndReceive(
        string queue, string group, string consumer, IReadOnlyList<string> receipts, int max, TimeSpan wait, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        // Both validated before either acts, so a bad receive argument does not half-apply the call.
        QueueValidation.ValidateReceive(queue, group, consumer, max, wait, visibility);
        var acks = QueueReceipt.ParseAll(receipts, nameof(receipts))
            .GroupBy(r => r.Partition)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<QueueReceipt>)g.ToList());
        return await ReceiveCore(queue, group, consumer, max, wait, visibility, acks, cancellationToken);
    }

    public async Task Heartbeat(string queue, string group, string consumer)
    {
        QueueValidation.ValidateGroup(queue, group);
        Naming.ResourceName.Validate(consumer, nameof(consumer));
        await HeartbeatAsync(queue, group, GrainFactory.GetGrain<IConsumerGroupGrain>(QueueKeys.Group(queue, group)), consumer);
    }

    public Task Leave(string queue, string group, string consumer)
    {
        QueueValidation.ValidateGroup(queue, group);
        Naming.ResourceName.Validate(consumer, nameof(consumer));
        _assignments.Forget(QueueKeys.Group(queue, group), consumer);
        return GrainFactory.GetGrain<IConsumerGroupGrain>(QueueKeys.Group(queue, group)).Leave(consumer);
    }

    /// <summary>Heartbeats the group grain and remembers the answer; starts watching the group's rebalances if nothing does yet.</summary>
    private async Task<ConsumerAssignment> HeartbeatAsync(string queue, string group, IConsumerGroupGrain groupGrain, string consumer)
    {
        var renewedAt = time.GetUtcNow();
        var assignment = await groupGrain.Heartbeat(consumer);
        var groupKey = QueueKeys.Group(queue, group);
        if (_assignments.Remember(groupKey, consumer, assignment, renewedAt) is { } watch)
        {
            // Runs on this activation's scheduler (like any continuation of a grain call), so the cache stays single-threaded.
            _ = WatchRebalancesAsync(queue, group, groupGrain, watch);
        }

        return assignment;
    }

    /// <summary>
    /// Long-polls the group's rebalances while some remembered answer of it is usable, so a remembered assignment is
    /// dropped as soon as the group moves to a newer generation rather than at the end of its renewal period.
    /// </summary>
    private async Task WatchRebalancesAsync(string queue, string group, IConsumerGroupGrain groupGrain, object watch)
    {
        var groupKey = QueueKeys.Group(queue, group);
        try
        {
            while (_assignments.KeepWatching(groupKey, watch, time.GetUtcNow(), out var generation))
            {
                _assignments.Rebalanced(groupKey, await groupGrain.WaitForRebalance(generation, _assignments.RenewEvery));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Without a watch nothing remembered may be used: receives heartbeat until one starts again.
            LogRebalanceWatchFailed(ex, queue, group);
            _assignments.ForgetGroup(groupKey, watch);
        }
    }

    public Task<int> Ack(string queue, string group, IReadOnlyList<string> receipts) =>
        Settle(queue, group, receipts, (grain, batch) => grain.Ack(batch));

    public Task<int> Nack(string queue, string group, IReadOnlyList<string> receipts, bool requeue) =>
        Settle(queue, group, receipts, (grain, batch) => grain.Nack(batch, requeue));

    public async Task<QueueInfo> GetInfo(string queue)
    {
        Naming.ResourceName.Validate(queue, nameof(queue));
        var partitions = await PartitionsOf(queue);
        var groups = await GrainFactory.GetGrain<IQueueGrain>(queue).GetGroups();
        var ends = await Task.WhenAll(Enumerable.Range(0, partitions)
            .Select(p => GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(queue, p)).GetEnd()));
        var depth = ends.Sum();

        var groupInfos = new List<QueueGroupInfo>();
        foreach (var group in groups)
        {
            var consumers = await GrainFactory.GetGrain<IConsumerGroupGrain>(QueueKeys.Group(queue, group)).GetConsumers();
            long pending = 0, inFlight = 0, deadLetters = 0;
            for (var p = 0; p < partitions; p++)
            {
                var status = await GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, p)).GetStatus();
                pending += ends[p] - status.CommittedOffset - status.Settled;
                inFlight += status.InFlight;
                deadLetters += await GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(queue, p)).CountDeadLetters(group);
            }

            groupInfos.Add(new QueueGroupInfo(group, consumers, Math.Max(0, pending), inFlight, deadLetters));
        }

        return new QueueInfo(queue, partitions, depth, groupInfos.Sum(g => g.InFlight), groupInfos.Sum(g => g.DeadLetters), groupInfos);
    }

    public async Task<IReadOnlyList<QueueDeadLetter>> GetDeadLetters(string queue, string? group, int max)
    {
        var groups = await GroupsFor(queue, group, max);
        var partitions = await PartitionsOf(queue);
        var letters = new List<QueueDeadLetter>();
        foreach (var name in groups)
        {
            for (var p = 0; p < partitions && letters.Count < max; p++)
            {
                var partition = GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(queue, p));
                var records = await partition.ListDeadLetters(name, max - letters.Count);
                if (records.Count == 0)
                {
                    continue;
                }

                var messages = (await partition.ReadOffsets(records.Select(r => r.Offset).ToList())).ToDictionary(m => m.Offset);
                foreach (var record in records)
                {
                    if (messages.TryGetValue(record.Offset, out var message))
                    {
                        var delivery = new QueueDelivery(message.Id, message.Key, message.Body, message.Headers, p, message.Offset, record.DeliveryCount, "", message.PublishedAt);
                        letters.Add(new QueueDeadLetter(name, delivery, record.Reason, record.DeadLetteredAt));
                    }
                }
            }
        }

        return letters;
    }

    public async Task<int> ReplayDeadLetters(string queue, string? group, int max)
    {
        var groups = await GroupsFor(queue, group, max);
        var partitions = await PartitionsOf(queue);
        var replayed = 0;
        foreach (var name in groups)
        {
            for (var p = 0; p < partitions && replayed < max; p++)
            {
                replayed += await GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, name, p)).ReplayDeadLetters(max - replayed);
            }
        }

        return replayed;
    }

    public async Task<IReadOnlyList<QueuePartitionPosition>> Seek(string queue, string group, int? partition, long offset)
    {
        QueueValidation.ValidateGroup(queue, group);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var partitions = await PartitionsOf(queue);
        if (partition is { } only && (only < 0 || only >= partitions))
        {
            throw new ArgumentOutOfRangeException(nameof(partition), only, $"partition must be 0–{partitions - 1}.");
        }

        // The group exists from now on (listed in the queue's info) even if it never received.
        await GrainFactory.GetGrain<IConsumerGroupGrain>(QueueKeys.Group(queue, group)).GetConsumers();
        var positions = new List<QueuePartitionPosition>();
        IEnumerable<int> targets = partition is { } single ? [single] : Enumerable.Range(0, partitions);
        foreach (var p in targets)
        {
            var end = await GrainFactory.GetGrain<IQueuePartitionGrain>(QueueKeys.Partition(queue, p)).GetEnd();
            if (partition is not null && offset > end)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset is beyond the end of partition {p} ({end}).");
            }

            var moved = await GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, p)).Seek(Math.Min(offset, end));
            positions.Add(new QueuePartitionPosition(p, moved));
        }

        return positions;
    }

    /// <summary>Sends (and removes) the acks of the partitions <paramref name="which"/> picks; receipts of unknown partitions are dropped.</summary>
    private async Task SendAcksAsync(string queue, string group, Dictionary<int, IReadOnlyList<QueueReceipt>>? acks, Func<int, bool> which)
    {
        if (acks is null || acks.Count == 0)
        {
            return;
        }

        var partitions = await PartitionsOf(queue);
        var sends = new List<Task<int>>();
        foreach (var partition in acks.Keys.Where(which).ToList())
        {
            acks.Remove(partition, out var batch);
            if (partition < partitions)
            {
                sends.Add(GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, partition)).Ack(batch!));
            }
        }

        await Task.WhenAll(sends);
    }

    private async Task<IReadOnlyList<string>> GroupsFor(string queue, string? group, int max)
    {
        Naming.ResourceName.Validate(queue, nameof(queue));
        if (max is < 1 or > QueueLimits.MaxDeadLetterBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be 1–{QueueLimits.MaxDeadLetterBatch}.");
        }

        if (group is not null)
        {
            Naming.ResourceName.Validate(group, nameof(group));
            return [group];
        }

        return await GrainFactory.GetGrain<IQueueGrain>(queue).GetGroups();
    }

    private async Task<int> Settle(
        string queue, string group, IReadOnlyList<string> receipts, Func<IConsumerGroupPartitionGrain, IReadOnlyList<QueueReceipt>, Task<int>> settle)
    {
        QueueValidation.ValidateGroup(queue, group);
        var parsed = QueueReceipt.ParseAll(receipts, nameof(receipts));
        var partitions = await PartitionsOf(queue);
        var results = await Task.WhenAll(parsed
            .Where(r => r.Partition < partitions)
            .GroupBy(r => r.Partition)
            .Select(g => settle(GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(queue, group, g.Key)), g.ToList())));
        return results.Sum();
    }

    private async Task<int> PartitionsOf(string queue)
    {
        if (_partitions.TryGetValue(queue, out var cached))
        {
            return cached;
        }

        var partitions = await GrainFactory.GetGrain<IQueueGrain>(queue).GetPartitions();
        if (_partitions.Count >= MaxCachedQueues)
        {
            _partitions.Clear();
        }

        _partitions[queue] = partitions;
        return partitions;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} group {Group}: watching the group's rebalances failed; receives heartbeat until it restarts")]
    private partial void LogRebalanceWatchFailed(Exception exception, string queue, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: receive from partition {Partition} for consumer {Consumer} failed; answering what the other partitions handed out")]
    private partial void LogPartitionReceiveFailed(Exception exception, string queue, string group, int partition, string consumer);
}
