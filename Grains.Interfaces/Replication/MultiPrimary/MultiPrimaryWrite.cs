namespace OrleansSync.Replication.MultiPrimary;

/// <summary>How a write to a multi-primary group is acknowledged.</summary>
/// <param name="Copies">The group's replica count N, 1–<see cref="MultiPrimaryLimits.MaxCopies"/> (fixed per group).</param>
/// <param name="RequiredAcks">
/// Copies that must hold the write (durably, in their profile's store) before it is acknowledged, 1–<paramref name="Copies"/>:
/// 1 = one, ⌊N/2⌋+1 = majority, N = all. The copy that takes the write counts as one.
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.MultiPrimaryWrite")]
public sealed record MultiPrimaryWrite(
    [property: Id(0)] int Copies,
    [property: Id(1)] int RequiredAcks);
