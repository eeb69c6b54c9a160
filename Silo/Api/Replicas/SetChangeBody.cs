namespace OrleansSync.Silo.Api.Replicas;

/// <summary><c>POST /v1/replicas/{group}/sets/{key}</c> body: elements to add or to remove (exactly one of the two) and the write consistency.</summary>
internal sealed record SetChangeBody(IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove, string? Write);
