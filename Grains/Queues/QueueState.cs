namespace OrleansSync.Queues;

/// <summary>Persisted metadata of a queue: small and bounded by the number of groups, not by messages.</summary>
[GenerateSerializer, Alias("OrleansSync.Queues.QueueState")]
internal sealed class QueueState
{
    /// <summary>0 until the queue is first used.</summary>
    [Id(0)] public int Partitions { get; set; }

    [Id(1)] public List<string> Groups { get; set; } = [];
}
