namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>POST …/dead-letters/replay</c> body (optional): one group or all (null), at most <see cref="Max"/> (default 100).</summary>
internal sealed record ReplayBody(string? Group, int? Max);
