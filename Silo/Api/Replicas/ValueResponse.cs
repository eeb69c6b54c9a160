using System.Text;
using System.Text.Json;

namespace OrleansSync.Silo.Api.Replicas;

/// <summary>A read value: the stored JSON, or a base64 string when the bytes are not JSON (written by a .NET client).</summary>
internal sealed record ValueResponse(JsonElement Value, long Version)
{
    public static ValueResponse From(byte[] value, long version) => new(Json(value), version);

    private static JsonElement Json(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            return JsonSerializer.SerializeToElement(Convert.ToBase64String(value));
        }
    }
}
