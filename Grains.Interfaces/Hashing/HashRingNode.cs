namespace OrleansSync.Hashing;

/// <summary>A node of a ring of application nodes.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Weight">The node's weight, 1 to <see cref="HashRingLayout.MaxWeight"/>.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Hashing.HashRingNode")]
public sealed record HashRingNode([property: Id(0)] string Id, [property: Id(1)] int Weight);
