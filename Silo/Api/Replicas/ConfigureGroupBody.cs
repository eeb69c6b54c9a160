namespace OrleansSync.Silo.Api.Replicas;

/// <summary><c>PUT /v1/replicas/{group}</c> body: <c>mode</c> (default primary-backup) and <c>replicas</c> (1–7, default 3).</summary>
internal sealed record ConfigureGroupBody(string? Mode, int? Replicas);
