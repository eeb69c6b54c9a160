namespace OrleansSync.Locks;

/// <summary>One current holder of a name, as shown in status.</summary>
/// <param name="Owner">The holder's owner string.</param>
/// <param name="Token">Its fencing token.</param>
/// <param name="Mode">Exclusive or shared.</param>
/// <param name="ExpiresAt">When its lease ends unless renewed.</param>
[GenerateSerializer, Immutable, Alias("OrleansSync.Locks.LeaseHolderInfo")]
public sealed record LeaseHolderInfo(
    [property: Id(0)] string Owner,
    [property: Id(1)] long Token,
    [property: Id(2)] LeaseMode Mode,
    [property: Id(3)] DateTimeOffset ExpiresAt);
