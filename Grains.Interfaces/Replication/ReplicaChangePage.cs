namespace OrleansSync.Replication;

/// <summary>A page of a group's changes.</summary>
/// <param name="Changes">
/// Changes with version above the asked one, in version order. Copies keep the latest write per key, so a key written
/// again later appears once, at its latest version (a compacted history).
/// </param>
/// <param name="CommittedVersion">
/// Primary-backup: the highest version durable on a majority of copies; pages never go beyond it. Multi-primary: the
/// version up to which this page is complete (read the next page after it).
/// </param>
/// <param name="Sequenced">
/// True (primary-backup): versions are one gap-free sequence of the whole group, so a reader can detect a missed
/// change. False (multi-primary): versions are clock stamps of each key's register, ordered per key only.
/// </param>
/// <param name="More">Multi-primary: whether changes after <paramref name="CommittedVersion"/> may exist (primary-backup: a full page means the same).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Replication.ReplicaChangePage")]
public sealed record ReplicaChangePage(
    [property: Id(0)] IReadOnlyList<ReplicaChange> Changes,
    [property: Id(1)] long CommittedVersion,
    [property: Id(2)] bool Sequenced = true,
    [property: Id(3)] bool More = false);
