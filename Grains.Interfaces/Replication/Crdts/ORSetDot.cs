namespace OrleansSync.Replication.Crdts;

/// <summary>The unique tag of one add to an <see cref="ORSet"/>: the adding replica and its add counter.</summary>
/// <param name="Replica">The replica that added.</param>
/// <param name="Counter">That replica's add number, from 1.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.Crdts.ORSetDot")]
public readonly record struct ORSetDot(
    [property: Id(0)] string Replica,
    [property: Id(1)] long Counter);
