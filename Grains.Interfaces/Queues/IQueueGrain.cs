namespace OrleansSync.Queues;

/// <summary>One queue's small, persisted metadata: partition count (fixed on first use) and its consumer groups.</summary>
[Alias("OrleansSync.Queues.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>The queue's partition count; the first call fixes it from the silo's default.</summary>
    [Alias("GetPartitions")]
    Task<int> GetPartitions();

    /// <summary>Records <paramref name="group"/> as a consumer group of this queue (idempotent).</summary>
    [Alias("RegisterGroup")]
    Task RegisterGroup(string group);

    /// <summary>The queue's consumer groups, by name.</summary>
    [Alias("GetGroups")]
    Task<IReadOnlyList<string>> GetGroups();
}
