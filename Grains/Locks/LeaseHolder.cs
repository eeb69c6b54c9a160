namespace OrleansSync.Locks;

/// <summary>One granted lease, as kept in <see cref="LeaseBook"/> and in grain storage.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseHolder")]
internal sealed record LeaseHolder(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string Owner,
    [property: Id(2)] LeaseMode Mode,
    [property: Id(3)] long Token,
    [property: Id(4)] TimeSpan Lease,
    [property: Id(5)] DateTimeOffset ExpiresAt);
