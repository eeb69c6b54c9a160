using OrleansSync.Replication;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Client.Replication;

/// <inheritdoc cref="IReplicaService"/>
/// <remarks>
/// Sets and deletes travel through <see cref="ReplicaWriteBatcher"/>: this client's concurrent writes to one group share
/// <see cref="IReplicaGroupGrain.WriteBatch"/> calls, each still handled and answered as a single write.
/// </remarks>
internal sealed class ReplicaService(IClusterClient client) : IReplicaService
{
    private readonly ReplicaWriteBatcher _writes = new(client);

    public Task<ReplicaGroupStatus> ConfigureAsync(string group, ReplicationMode mode = ReplicationMode.PrimaryBackup, int replicas = ReplicaLimits.DefaultReplicas, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        ReplicaValidation.ValidateEnum(mode, nameof(mode));
        ReplicaValidation.ValidateReplicas(replicas);
        return Group(group).Configure(mode, replicas, cancellationToken);
    }

    public Task<ReplicaGroupStatus> GetStatusAsync(string group, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        return Group(group).GetStatus(cancellationToken);
    }

    public Task<ReplicaWriteResult> SetAsync(string group, string key, byte[] value, WriteConsistency write = WriteConsistency.Majority, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ValidateWrite(group, key, write, expectedVersion);
        ReplicaValidation.ValidateValue(value);
        return _writes.WriteAsync(group, new ReplicaWriteRequest(key, value, write, expectedVersion), cancellationToken);
    }

    public Task<ReplicaReadResult> GetAsync(string group, string key, ReadConsistency read = ReadConsistency.Primary, CancellationToken cancellationToken = default)
    {
        ValidateRead(group, key, read);
        return Group(group).Get(key, read, cancellationToken);
    }

    public Task<ReplicaWriteResult> DeleteAsync(string group, string key, WriteConsistency write = WriteConsistency.Majority, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ValidateWrite(group, key, write, expectedVersion);
        return _writes.WriteAsync(group, new ReplicaWriteRequest(key, null, write, expectedVersion), cancellationToken);
    }

    public IAsyncEnumerable<ReplicaChange> WatchAsync(string group, long fromVersion = 0, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        return new ReplicaChangeWatcher(client, group, fromVersion).RunAsync(cancellationToken);
    }

    public Task<ReplicaWriteResult> IncrementAsync(string group, string key, long delta = 1, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default)
    {
        ValidateWrite(group, key, write, expectedVersion: null);
        if (delta is 0 or long.MinValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must not be 0 (or long.MinValue).");
        }

        return Group(group).AddToCounter(key, delta, write, cancellationToken);
    }

    public Task<long> GetCounterAsync(string group, string key, ReadConsistency read = ReadConsistency.Majority, CancellationToken cancellationToken = default)
    {
        ValidateRead(group, key, read);
        return Group(group).GetCounter(key, read, cancellationToken);
    }

    public Task<ReplicaWriteResult> AddToSetAsync(string group, string key, IReadOnlyList<string> elements, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default) =>
        UpdateSetAsync(group, key, elements, remove: false, write, cancellationToken);

    public Task<ReplicaWriteResult> RemoveFromSetAsync(string group, string key, IReadOnlyList<string> elements, WriteConsistency write = WriteConsistency.Majority, CancellationToken cancellationToken = default) =>
        UpdateSetAsync(group, key, elements, remove: true, write, cancellationToken);

    public Task<IReadOnlyList<string>> GetSetAsync(string group, string key, ReadConsistency read = ReadConsistency.Majority, CancellationToken cancellationToken = default)
    {
        ValidateRead(group, key, read);
        return Group(group).GetSet(key, read, cancellationToken);
    }

    private Task<ReplicaWriteResult> UpdateSetAsync(string group, string key, IReadOnlyList<string> elements, bool remove, WriteConsistency write, CancellationToken cancellationToken)
    {
        ValidateWrite(group, key, write, expectedVersion: null);
        MultiPrimaryValidation.ValidateElements(elements);
        return Group(group).UpdateSet(key, elements, remove, write, cancellationToken);
    }

    private static void ValidateRead(string group, string key, ReadConsistency read)
    {
        ReplicaValidation.ValidateGroup(group);
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(read, nameof(read));
    }

    private static void ValidateWrite(string group, string key, WriteConsistency write, long? expectedVersion)
    {
        ReplicaValidation.ValidateGroup(group);
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(write, nameof(write));
        ReplicaValidation.ValidateExpectedVersion(expectedVersion);
    }

    private IReplicaGroupGrain Group(string group) => client.GetGrain<IReplicaGroupGrain>(group);
}
