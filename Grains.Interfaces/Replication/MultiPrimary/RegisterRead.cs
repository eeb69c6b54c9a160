using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>A register read.</summary>
/// <param name="Value">The bytes, or null when the key was never set or its last write was a delete (404 over HTTP).</param>
/// <param name="Timestamp">The winning write's stamp (a delete's stamp for a deleted key; zero if never written).</param>
/// <param name="CopiesRead">How many copies' states were merged into the answer.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.RegisterRead")]
public sealed record RegisterRead(
    [property: Id(0)] byte[]? Value,
    [property: Id(1)] HlcTimestamp Timestamp,
    [property: Id(2)] int CopiesRead);
