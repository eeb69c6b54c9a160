namespace OrleansSync.Cluster;

/// <summary>What a <see cref="IProbeGrain"/> reports.</summary>
/// <param name="Silo">The address of the silo hosting the activation.</param>
/// <param name="Value">The persisted value, or null when never written.</param>
/// <param name="Writes">How many writes this grain's state has seen across activations.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Cluster.ProbeInfo")]
public sealed record ProbeInfo([property: Id(0)] string Silo, [property: Id(1)] string? Value, [property: Id(2)] long Writes);
