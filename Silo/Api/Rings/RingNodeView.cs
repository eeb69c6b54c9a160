namespace OrleansSync.Silo.Api.Rings;

/// <summary>One node of a ring: its weight and the fraction of the hash space it owns.</summary>
internal sealed record RingNodeView(string Id, int Weight, double Share);
