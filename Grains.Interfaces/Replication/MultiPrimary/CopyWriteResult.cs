using OrleansSync.Replication.Crdts;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>The outcome of an acknowledged multi-primary write.</summary>
/// <param name="Timestamp">
/// The write's hybrid-logical-clock stamp (for Set/Delete, the register's new timestamp; usable as a version that
/// orders writes to one key across copies).
/// </param>
/// <param name="Acks">Copies known to hold the write when it was acknowledged (≥ the required number; others may follow).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.CopyWriteResult")]
public sealed record CopyWriteResult(
    [property: Id(0)] HlcTimestamp Timestamp,
    [property: Id(1)] int Acks);
