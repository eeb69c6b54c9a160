namespace OrleansSync.Replication.MultiPrimary;

/// <summary>A set read.</summary>
/// <param name="Elements">The elements, in ordinal order (empty if never written).</param>
/// <param name="CopiesRead">How many copies' states were merged into the answer.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.SetRead")]
public sealed record SetRead(
    [property: Id(0)] IReadOnlyList<string> Elements,
    [property: Id(1)] int CopiesRead);
