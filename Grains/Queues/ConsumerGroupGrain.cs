using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IConsumerGroupGrain"/>
/// <remarks>
/// Consumers and their leases live in memory only: after a reactivation every consumer re-registers with its next
/// receive or heartbeat, which rebalances under a new (persisted, increasing) generation. Leases expire lazily when any
/// consumer of the group calls, which is exactly when someone could take over the expired consumer's messages.
/// </remarks>
internal sealed partial class ConsumerGroupGrain(
    [PersistentState("consumer-group", ProviderNames.GrainStorage)] IPersistentState<ConsumerGroupState> state,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<ConsumerGroupGrain> logger) : Grain, IConsumerGroupGrain
{
    private readonly Dictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);
    private string[] _sorted = [];
    private string _queue = "";
    private string _group = "";
    private int _partitions;
    private TaskCompletionSource _rebalanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_queue, _group) = QueueKeys.ParseGroup(this.GetPrimaryKeyString());
        var queue = GrainFactory.GetGrain<IQueueGrain>(_queue);
        _partitions = await queue.GetPartitions();
        await queue.RegisterGroup(_group);
    }

    public async Task<ConsumerAssignment> Heartbeat(string consumer)
    {
        Naming.ResourceName.Validate(consumer, nameof(consumer));
        var now = time.GetUtcNow();
        var expired = _leases.Where(l => l.Value <= now && !string.Equals(l.Key, consumer, StringComparison.Ordinal)).Select(l => l.Key).ToList();
        var joined = !_leases.ContainsKey(consumer) || _leases[consumer] <= now;
        foreach (var gone in expired)
        {
            _leases.Remove(gone);
        }

        _leases[consumer] = now + options.Value.ConsumerLease;
        if (joined || expired.Count > 0)
        {
            await RebalanceAsync(joined ? consumer : null, expired);
        }

        return new ConsumerAssignment(state.State.Generation, PartitionAssignment.PartitionsOf(consumer, _sorted, _partitions));
    }

    public async Task Leave(string consumer)
    {
        Naming.ResourceName.Validate(consumer, nameof(consumer));
        if (_leases.Remove(consumer))
        {
            await RebalanceAsync(null, [consumer]);
        }
    }

    public Task<ConsumerAssignment?> GetAssignment(string consumer) =>
        Task.FromResult(_leases.TryGetValue(consumer, out var until) && until > time.GetUtcNow()
            ? new ConsumerAssignment(state.State.Generation, PartitionAssignment.PartitionsOf(consumer, _sorted, _partitions))
            : null);

    public async Task<long> WaitForRebalance(long generation, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (state.State.Generation <= generation)
        {
            await Task.WhenAny(_rebalanced.Task, Task.Delay(timeout, time, cancellationToken));
        }

        return state.State.Generation;
    }

    public Task<IReadOnlyList<string>> GetConsumers()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<string>>(_sorted.Where(c => _leases.TryGetValue(c, out var until) && until > now).ToList());
    }

    private async Task RebalanceAsync(string? joined, IReadOnlyList<string> gone)
    {
        state.State.Generation++;
        await state.WriteStateAsync();
        _sorted = [.. _leases.Keys.Order(StringComparer.Ordinal)];
        var rebalanced = _rebalanced;
        _rebalanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rebalanced.TrySetResult();
        LogRebalanced(_queue, _group, state.State.Generation, joined, gone.Count, _sorted.Length);

        // Messages held by consumers that are gone become visible to the new owners at once instead of after their
        // visibility timeout.
        if (gone.Count > 0)
        {
            var releases = new List<Task>();
            for (var p = 0; p < _partitions; p++)
            {
                var partition = GrainFactory.GetGrain<IConsumerGroupPartitionGrain>(QueueKeys.GroupPartition(_queue, _group, p));
                releases.AddRange(gone.Select(partition.Release));
            }

            await Task.WhenAll(releases);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} group {Group} rebalanced to generation {Generation} (joined: {Joined}, gone: {Gone}); {Consumers} consumer(s)")]
    private partial void LogRebalanced(string queue, string group, long generation, string? joined, int gone, int consumers);
}
