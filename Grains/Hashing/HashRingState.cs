namespace OrleansSync.Hashing;

/// <summary>Persisted state of <see cref="HashRingGrain"/>.</summary>
[GenerateSerializer, Alias("OrleansSync.Hashing.HashRingState")]
internal sealed class HashRingState
{
    [Id(0)] public long Version { get; set; }

    /// <summary>Node id → weight.</summary>
    [Id(1)] public Dictionary<string, int> Nodes { get; set; } = new(StringComparer.Ordinal);
}
