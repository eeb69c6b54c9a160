namespace OrleansSync.Replication;

/// <summary>
/// Where a client's replica writes enter the cluster: a stateless worker, so a client's call runs on the silo of the
/// gateway that received it and goes on from there. The key only selects an entry (each key's calls travel through the
/// gateway the client picked for it), so a client that has found a key whose entry runs on a group's silo reaches that
/// group without a hop between silos. Any key works for any group; a key whose gateway changed only costs that hop.
/// </summary>
[Alias("OrleansSync.Replication.IReplicaWriteEntryGrain")]
public interface IReplicaWriteEntryGrain : IGrainWithIntegerKey
{
    /// <summary>The silo this call ran on.</summary>
    [Alias("GetSilo")]
    Task<SiloAddress> GetSilo();

    /// <summary>
    /// Writes as <see cref="IReplicaGroupGrain.WriteBatch"/> of <paramref name="group"/> would, with the same answers and
    /// failures. A batch of valid writes at majority or all goes straight to the group's primary copy (one grain turn
    /// fewer per call); writes the copy refuses, and every other batch, go through the group grain.
    /// </summary>
    /// <exception cref="ArgumentException">An invalid group name, no writes or more than <see cref="ReplicaLimits.MaxWritesPerBatch"/>.</exception>
    [Alias("WriteBatch")]
    Task<IReadOnlyList<ReplicaWriteOutcome>> WriteBatch(string group, IReadOnlyList<ReplicaWriteRequest> writes, CancellationToken cancellationToken = default);
}
