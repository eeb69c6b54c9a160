namespace OrleansSync.Queues;

/// <summary>Persisted part of a consumer group: only the rebalance generation, so it keeps increasing across activations.</summary>
[GenerateSerializer, Alias("OrleansSync.Queues.ConsumerGroupState")]
internal sealed class ConsumerGroupState
{
    [Id(0)] public long Generation { get; set; }
}
