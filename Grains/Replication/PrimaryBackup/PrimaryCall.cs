namespace OrleansSync.Replication.PrimaryBackup;

/// <summary>
/// What the group grain and a write entry share when they send a batch straight to the primary copy: which writes may
/// go (the copy refuses the whole call for one bad write) and how the copy's answer becomes the write's outcome.
/// </summary>
internal static class PrimaryCall
{
    /// <summary>True when the primary takes the write as it is; a bad one is answered by the single-write path instead.</summary>
    public static bool Accepts(ReplicaWriteRequest? request)
    {
        if (request is null)
        {
            return false;
        }

        try
        {
            ReplicaValidation.ValidateKey(request.Key);
            if (request.Value is not null)
            {
                ReplicaValidation.ValidateValue(request.Value);
            }

            ReplicaValidation.ValidateEnum(request.Write, nameof(request.Write));
            ReplicaValidation.ValidateExpectedVersion(request.ExpectedVersion);
            return true;
        }
        catch (ArgumentException)
        {
            // The single-write path throws the same error Set or Delete would.
            return false;
        }
    }

    /// <summary>
    /// The outcome the primary's <paramref name="answer"/> settles, or null when the copy refused the write before ordering
    /// it (<see cref="ReplicaWriteStatus.NotPrimary"/>): safe to send again once the group knows its primary.
    /// </summary>
    public static ReplicaWriteOutcome? Outcome(string group, ReplicaWriteRequest request, ReplicaCopyWriteOutcome answer) => answer.Status switch
    {
        ReplicaWriteStatus.Ok => new ReplicaWriteOutcome(new ReplicaWriteResult(answer.Version, answer.Acks), null),
        ReplicaWriteStatus.Conflict => new ReplicaWriteOutcome(null, new ReplicaVersionConflictException(group, request.Key, request.ExpectedVersion ?? 0, answer.Version)),
        ReplicaWriteStatus.Unavailable => new ReplicaWriteOutcome(null, new ReplicaUnavailableException(
            $"Write {answer.Version} of replica group '{group}' was held by {answer.Acks} copies, fewer than {request.Write} asks, within {PrimaryRole.AckTimeout.TotalSeconds:0} s; it may still become durable.")),
        _ => null,
    };

    /// <summary>The failure of every write of a call to the primary that timed out: each may or may not have happened.</summary>
    public static ReplicaUnavailableException TimedOut(string group, TimeoutException timeout) =>
        new($"The primary of replica group '{group}' did not answer in time; the write may or may not have happened.", timeout);
}
