namespace OrleansSync.Cluster;

/// <summary>Persisted state of <see cref="ProbeGrain"/>.</summary>
[GenerateSerializer, Alias("OrleansSync.Cluster.ProbeState")]
internal sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }

    [Id(1)] public long Writes { get; set; }
}
