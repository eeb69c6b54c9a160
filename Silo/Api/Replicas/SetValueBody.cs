using System.Text.Json;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary><c>PUT /v1/replicas/{group}/keys/{key}</c> body: any JSON value (stored as its UTF-8 text), the write consistency and an optional expected version.</summary>
internal sealed record SetValueBody(JsonElement? Value, string? Write, long? ExpectedVersion);
