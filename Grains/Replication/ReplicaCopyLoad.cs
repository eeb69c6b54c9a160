namespace OrleansSync.Replication;

/// <summary>What a copy reads back on activation: its bookkeeping and where its data ends.</summary>
/// <param name="Meta">Epochs and the consistency flag.</param>
/// <param name="High">The highest version it holds (0 when empty).</param>
/// <param name="LastEntryEpoch">The epoch of the write at <paramref name="High"/>.</param>
internal readonly record struct ReplicaCopyLoad(ReplicaCopyMeta Meta, long High, long LastEntryEpoch);
