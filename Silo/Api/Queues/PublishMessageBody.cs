using System.Text.Json;

namespace OrleansSync.Silo.Api.Queues;

/// <summary>One message of a publish; <see cref="Body"/> is any JSON value, stored as its UTF-8 text.</summary>
internal sealed record PublishMessageBody(string? Id, string? Key, JsonElement? Body, Dictionary<string, string>? Headers);
