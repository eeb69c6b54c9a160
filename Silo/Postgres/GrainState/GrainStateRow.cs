namespace OrleansSync.Silo.Postgres.GrainState;

/// <summary>A stored grain state row as read.</summary>
/// <param name="Payload">The serialized state, or null after a clear.</param>
/// <param name="Version">The row version (the ETag).</param>
internal sealed record GrainStateRow(byte[]? Payload, long Version);
