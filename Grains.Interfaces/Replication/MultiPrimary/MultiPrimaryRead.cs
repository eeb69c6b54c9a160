namespace OrleansSync.Replication.MultiPrimary;

/// <summary>How many copies a multi-primary read merges.</summary>
/// <param name="Copies">The group's replica count N, 1–<see cref="MultiPrimaryLimits.MaxCopies"/> (fixed per group).</param>
/// <param name="ReadCopies">
/// Copies whose state is merged into the answer, 1–<paramref name="Copies"/>: 1 = any (the asked copy only, may be
/// stale), ⌊N/2⌋+1 = majority (with a majority write, sees every acknowledged write). Copies found behind are repaired.
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.MultiPrimaryRead")]
public sealed record MultiPrimaryRead(
    [property: Id(0)] int Copies,
    [property: Id(1)] int ReadCopies);
