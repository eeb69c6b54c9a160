namespace OrleansSync.Replication.MultiPrimary;

/// <summary>One copy's view of itself.</summary>
/// <param name="Group">The replica group.</param>
/// <param name="Index">This copy's index, 0-based.</param>
/// <param name="Copies">The replica count it was last told.</param>
/// <param name="Replica">This activation's replica id (copy index + random incarnation), the writer id in its counters and sets.</param>
/// <param name="Silo">The silo hosting the copy.</param>
/// <param name="Keys">Keys held (deleted registers included: tombstones are kept).</param>
/// <param name="Digest">
/// Order-independent 64-bit digest of all keys and states: two copies with equal digests hold equal data (up to a
/// 64-bit hash collision), which is what anti-entropy compares.
/// </param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.MultiPrimary.CopyStatus")]
public sealed record CopyStatus(
    [property: Id(0)] string Group,
    [property: Id(1)] int Index,
    [property: Id(2)] int Copies,
    [property: Id(3)] string Replica,
    [property: Id(4)] string Silo,
    [property: Id(5)] int Keys,
    [property: Id(6)] ulong Digest);
