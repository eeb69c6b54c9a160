namespace OrleansSync.Silo.Api.Cluster;

/// <summary>
/// How many OrleansSync grain activations one silo holds, in total and by grain type, and how many activations of
/// <c>[ConsistentHashPlacement]</c> grains (of any assembly) it hosts.
/// </summary>
internal sealed record SiloPlacements(int Activations, IReadOnlyDictionary<string, int> ByGrainType, int ConsistentHashActivations);
