using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <inheritdoc cref="IReplicaService"/>
internal sealed class ReplicaService(IClusterClient client) : IReplicaService
{
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
        return Group(group).Set(key, value, write, expectedVersion, cancellationToken);
    }

    public Task<ReplicaReadResult> GetAsync(string group, string key, ReadConsistency read = ReadConsistency.Primary, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        ReplicaValidation.ValidateKey(key);
        ReplicaValidation.ValidateEnum(read, nameof(read));
        return Group(group).Get(key, read, cancellationToken);
    }

    public Task<ReplicaWriteResult> DeleteAsync(string group, string key, WriteConsistency write = WriteConsistency.Majority, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ValidateWrite(group, key, write, expectedVersion);
        return Group(group).Delete(key, write, expectedVersion, cancellationToken);
    }

    public IAsyncEnumerable<ReplicaChange> WatchAsync(string group, long fromVersion = 0, CancellationToken cancellationToken = default)
    {
        ReplicaValidation.ValidateGroup(group);
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        return new ReplicaChangeWatcher(client, group, fromVersion).RunAsync(cancellationToken);
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
