using System.Text;
using System.Text.Json;
using OrleansSync.Queues;

namespace OrleansSync.Silo.Api.Queues;

/// <summary>A delivered message on the wire. The body is the stored JSON, or a base64 string when the bytes are not JSON (published by a .NET client).</summary>
internal sealed record QueueMessageResponse(
    string Id, string? Key, JsonElement Body, IReadOnlyDictionary<string, string> Headers, int Partition, long Offset, int DeliveryCount, string Receipt)
{
    public static QueueMessageResponse From(QueueDelivery delivery) =>
        new(delivery.Id, delivery.Key, BodyOf(delivery.Body), delivery.Headers, delivery.Partition, delivery.Offset, delivery.DeliveryCount, delivery.Receipt);

    internal static JsonElement BodyOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Convert.ToBase64String(body));
        }
        catch (DecoderFallbackException)
        {
            return JsonSerializer.SerializeToElement(Convert.ToBase64String(body));
        }
    }
}
