namespace OrleansSync.Silo.Api.Cluster;

/// <summary>How many OrleansSync grain activations one silo holds, in total and by grain type.</summary>
internal sealed record SiloPlacements(int Activations, IReadOnlyDictionary<string, int> ByGrainType);
