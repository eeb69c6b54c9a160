namespace OrleansSync.Client.Locks;

/// <summary>The current leader of an election.</summary>
/// <param name="Name">The election name.</param>
/// <param name="Leader">The leader's owner string.</param>
/// <param name="Term">The leader's term (its fencing token): strictly increasing per election.</param>
/// <param name="LeaseExpiresAt">When the leader's lease ends unless renewed.</param>
public sealed record LeaderInfo(string Name, string Leader, long Term, DateTimeOffset LeaseExpiresAt);
