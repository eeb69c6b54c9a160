namespace OrleansSync.Silo.Postgres.GrainState;

/// <summary>
/// One queued write (or clear) waiting for the group commit that holds it. Its task completes only after that commit:
/// with the row's new version, or null when the expected version no longer matched (another writer got there first).
/// </summary>
internal sealed class GrainStateWrite
{
    private readonly TaskCompletionSource<long?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Initializes a new instance of the <see cref="GrainStateWrite"/> class.</summary>
    /// <param name="key">The row.</param>
    /// <param name="payload">The serialized state; null clears the row.</param>
    /// <param name="expectedVersion">The version the writer last saw; null inserts the row only if it does not exist.</param>
    public GrainStateWrite(GrainStateKey key, byte[]? payload, long? expectedVersion)
    {
        Key = key;
        Payload = payload;
        ExpectedVersion = expectedVersion;
    }

    public GrainStateKey Key { get; }

    public byte[]? Payload { get; }

    public long? ExpectedVersion { get; }

    /// <summary>The new version once committed, or null on a version conflict; faults if the commit failed.</summary>
    public Task<long?> Completion => _done.Task;

    public void Complete(long? newVersion) => _done.TrySetResult(newVersion);

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
