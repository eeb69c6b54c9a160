using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using OrleansSync.Naming;

namespace OrleansSync.Hashing;

/// <inheritdoc cref="IHashRingGrain"/>
internal sealed partial class HashRingGrain(
    [PersistentState("ring", ProviderNames.GrainStorage)] IPersistentState<HashRingState> state,
    ILogger<HashRingGrain> logger) : Grain, IHashRingGrain
{
    private HashRingSnapshot? _snapshot;

    public Task<HashRingSnapshot> AddOrUpdateNode(string node, int weight)
    {
        var ring = RingName();
        ResourceName.Validate(node, nameof(node));
        if (weight is < 1 or > HashRingLayout.MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"weight must be 1 to {HashRingLayout.MaxWeight}.");
        }

        var nodes = state.State.Nodes;
        var previous = nodes.TryGetValue(node, out var w) ? w : 0;
        if (previous == weight)
        {
            return Task.FromResult(Snapshot());
        }

        if (previous == 0 && nodes.Count >= HashRingLayout.MaxNodes)
        {
            throw new ArgumentException($"ring {ring} already holds {HashRingLayout.MaxNodes} nodes, the limit.", nameof(node));
        }

        var total = nodes.Values.Sum() - previous + weight;
        if (total > HashRingLayout.MaxTotalWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"the ring's total weight would be {total}; the limit is {HashRingLayout.MaxTotalWeight}.");
        }

        return CommitAsync(ring, s => s.Nodes[node] = weight);
    }

    public Task<HashRingSnapshot> RemoveNode(string node)
    {
        var ring = RingName();
        ResourceName.Validate(node, nameof(node));
        return state.State.Nodes.ContainsKey(node)
            ? CommitAsync(ring, s => s.Nodes.Remove(node))
            : Task.FromResult(Snapshot());
    }

    public Task<HashRingSnapshot> GetSnapshot()
    {
        RingName();
        return Task.FromResult(Snapshot());
    }

    private async Task<HashRingSnapshot> CommitAsync(string ring, Action<HashRingState> change)
    {
        // Change a copy and only adopt it once it is durable, so a failed write leaves memory as storage has it.
        var before = state.State;
        var next = new HashRingState
        {
            Version = before.Version + 1,
            Nodes = new Dictionary<string, int>(before.Nodes, StringComparer.Ordinal),
        };
        change(next);
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }

        _snapshot = null;
        var snapshot = Snapshot();
        LogChanged(logger, ring, snapshot.Version, snapshot.Nodes.Length);
        try
        {
            await this.GetStreamProvider(ProviderNames.Streams).GetStream<HashRingSnapshot>(StreamId.Create(HashRingStream.Namespace, ring)).OnNextAsync(snapshot);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is durable; subscribers catch up from the next notification or a snapshot read.
            LogPublishFailed(logger, ex, ring, snapshot.Version);
        }

        return snapshot;
    }

    private HashRingSnapshot Snapshot() =>
        _snapshot ??= new HashRingSnapshot(
            this.GetPrimaryKeyString(),
            state.State.Version,
            state.State.Nodes
                .OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => new HashRingNode(n.Key, n.Value))
                .ToImmutableArray());

    private string RingName() => ResourceName.Validate(this.GetPrimaryKeyString(), "ring");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ring {Ring} is now version {Version} with {Count} nodes")]
    private static partial void LogChanged(ILogger logger, string ring, long version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring {Ring} version {Version} is stored but its change notification failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string ring, long version);
}
