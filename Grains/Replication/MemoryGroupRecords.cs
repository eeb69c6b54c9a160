using System.Collections.Concurrent;

namespace OrleansSync.Replication;

/// <summary>
/// The records of <see cref="ReplicaGroupRecordGrain"/> on this silo, kept by a silo-wide singleton so that they outlive
/// the grain's activation (it may be collected while idle) just as <see cref="MemoryReplicaStore"/> keeps copy data.
/// </summary>
internal sealed class MemoryGroupRecords
{
    private readonly ConcurrentDictionary<string, ReplicaGroupRecord> _records = new(StringComparer.Ordinal);

    public ReplicaGroupRecord? Get(string copyKey) => _records.TryGetValue(copyKey, out var record) ? record : null;

    /// <summary>Keeps the record with the higher epoch, so a late message from an older configuration changes nothing.</summary>
    public void Keep(string copyKey, ReplicaGroupRecord record) =>
        _records.AddOrUpdate(copyKey, record, (_, kept) => record.Epoch >= kept.Epoch ? record : kept);
}
