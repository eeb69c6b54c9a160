namespace OrleansSync.Locks;

/// <summary>The status of one name.</summary>
/// <param name="Name">The name.</param>
/// <param name="Holders">Holders whose lease is still valid, in grant order (at most one for locks and elections).</param>
/// <param name="Waiters">How many requests wait in the queue.</param>
/// <param name="LastToken">The highest fencing token ever granted for the name (0 = never granted).</param>
/// <param name="Limit">Shared holders admitted (1 for locks and elections, the count for semaphores, <see cref="int.MaxValue"/> for reader-writer locks).</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseInfo")]
public sealed record LeaseInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<LeaseHolderInfo> Holders,
    [property: Id(2)] int Waiters,
    [property: Id(3)] long LastToken,
    [property: Id(4)] int Limit)
{
    /// <summary>Whether anyone holds the name now.</summary>
    public bool Held => Holders.Count > 0;
}
