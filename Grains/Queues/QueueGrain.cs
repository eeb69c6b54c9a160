using Microsoft.Extensions.Options;

namespace OrleansSync.Queues;

/// <inheritdoc cref="IQueueGrain"/>
internal sealed class QueueGrain(
    [PersistentState("queue", ProviderNames.GrainStorage)] IPersistentState<QueueState> state,
    IOptions<QueueOptions> options) : Grain, IQueueGrain
{
    public async Task<int> GetPartitions()
    {
        if (state.State.Partitions == 0)
        {
            // Fixed for the queue's life: changing it would move keys to other partitions and break per-key order.
            state.State.Partitions = options.Value.DefaultPartitions;
            await state.WriteStateAsync();
        }

        return state.State.Partitions;
    }

    public async Task RegisterGroup(string group)
    {
        Naming.ResourceName.Validate(group, nameof(group));
        if (state.State.Groups.Contains(group, StringComparer.Ordinal))
        {
            return;
        }

        state.State.Groups.Add(group);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetGroups() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Groups.Order(StringComparer.Ordinal)]);
}
