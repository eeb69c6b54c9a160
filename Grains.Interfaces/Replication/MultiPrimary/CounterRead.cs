namespace OrleansSync.Replication.MultiPrimary;

/// <summary>A counter read.</summary>
/// <param name="Value">Increments minus decrements seen by the copies read (0 if never written).</param>
/// <param name="CopiesRead">How many copies' states were merged into the answer.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.CounterRead")]
public sealed record CounterRead(
    [property: Id(0)] long Value,
    [property: Id(1)] int CopiesRead);
