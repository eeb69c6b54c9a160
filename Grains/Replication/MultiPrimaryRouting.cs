namespace OrleansSync.Replication;

/// <summary>
/// The one place where replica-group operations meet multi-primary mode. Multi-primary copies (CRDT values, anti-entropy)
/// are a separate grain; until they are wired here, configuring a group as multi-primary is refused as bad input naming
/// <c>mode</c>, so no group ever reaches the other operations in that mode.
/// </summary>
internal static class MultiPrimaryRouting
{
    /// <summary>Refuses (or, once wired, creates) a multi-primary group.</summary>
    /// <exception cref="ArgumentException">Always, for now.</exception>
    public static Task<ReplicaGroupStatus> ConfigureAsync(string group, int replicas) =>
        throw new ArgumentException(
            $"mode multi-primary is not available for replica group '{group}' ({replicas} copies) in this version; use primary-backup.", "mode");

    /// <summary>Routes an operation of a multi-primary group (unreachable while <see cref="ConfigureAsync"/> refuses).</summary>
    /// <exception cref="NotSupportedException">Always, for now.</exception>
    public static NotSupportedException NotWired(string group) => new($"Replica group '{group}' is multi-primary, which this version does not serve.");
}
