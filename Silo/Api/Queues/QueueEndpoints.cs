using System.Text;
using Microsoft.AspNetCore.Mvc;
using OrleansSync.Naming;
using OrleansSync.Queues;

namespace OrleansSync.Silo.Api.Queues;

/// <summary>
/// The queue routes of API.md. Input is checked here first so oversize input answers 413 and everything else 400 naming
/// the field; the broker grain checks again for other callers.
/// </summary>
internal static class QueueEndpoints
{
    private const int DefaultMax = 10;
    private const int DefaultVisibilityMs = 30_000;
    private const int DefaultDeadLetterMax = 100;

    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/queues/{queue}/messages", PublishAsync);
        endpoints.MapPost("/v1/queues/{queue}/groups/{group}/receive", ReceiveAsync);
        endpoints.MapPost("/v1/queues/{queue}/groups/{group}/ack", AckAsync);
        endpoints.MapPost("/v1/queues/{queue}/groups/{group}/nack", NackAsync);
        endpoints.MapGet("/v1/queues/{queue}", GetInfoAsync);
        endpoints.MapGet("/v1/queues/{queue}/dead-letters", GetDeadLettersAsync);
        endpoints.MapPost("/v1/queues/{queue}/dead-letters/replay", ReplayAsync);
        endpoints.MapPost("/v1/queues/{queue}/groups/{group}/seek", SeekAsync);
        return endpoints;
    }

    private static IQueueBrokerGrain Broker(IGrainFactory grains) => grains.GetGrain<IQueueBrokerGrain>(0);

    private static async Task<IResult> PublishAsync(string queue, PublishBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!RouteName.TryRead(queue, "queue", out var name, out var problem))
        {
            return problem!;
        }

        if (body?.Messages is not { Count: > 0 } items)
        {
            return ApiProblem.Invalid("messages", "messages must hold at least one message.");
        }

        if (items.Count > QueueLimits.MaxMessagesPerPublish)
        {
            return ApiProblem.TooLarge($"{items.Count} messages; at most {QueueLimits.MaxMessagesPerPublish} per publish.");
        }

        var messages = new List<QueueMessage>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                return ApiProblem.Invalid($"messages[{i}]", $"messages[{i}] is null.");
            }

            var bytes = Encoding.UTF8.GetBytes(item.Body is { } json ? json.GetRawText() : "null");
            if (bytes.Length > QueueLimits.MaxBodyBytes)
            {
                return ApiProblem.TooLarge($"messages[{i}].body is {bytes.Length} bytes; the limit is {QueueLimits.MaxBodyBytes}.");
            }

            messages.Add(new QueueMessage(item.Id, item.Key, bytes, item.Headers));
        }

        try
        {
            QueueValidation.ValidatePublish(name, messages);
        }
        catch (ArgumentException ex)
        {
            return ApiProblem.Invalid("messages", Detail(ex));
        }

        var ids = await Broker(grains).Publish(name, messages, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new PublishResponse(ids));
    }

    private static async Task<IResult> ReceiveAsync(string queue, string group, ReceiveBody? body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!TryReadNames(queue, group, out var queueName, out var groupName, out var problem))
        {
            return problem!;
        }

        if (body is null || !ResourceName.IsValid(body.Consumer))
        {
            return ApiProblem.Invalid("consumer", "consumer must be 1–256 characters of [A-Za-z0-9._:/-].");
        }

        var max = body.Max ?? DefaultMax;
        if (max is < 1 or > QueueLimits.MaxReceive)
        {
            return ApiProblem.Invalid("max", $"max must be 1–{QueueLimits.MaxReceive}.");
        }

        var waitMs = body.WaitMs ?? 0;
        if (waitMs is < 0 or > QueueLimits.MaxWaitMs)
        {
            return ApiProblem.Invalid("waitMs", $"waitMs must be 0–{QueueLimits.MaxWaitMs}.");
        }

        var visibilityMs = body.VisibilityMs ?? DefaultVisibilityMs;
        if (visibilityMs is < QueueLimits.MinVisibilityMs or > QueueLimits.MaxVisibilityMs)
        {
            return ApiProblem.Invalid("visibilityMs", $"visibilityMs must be {QueueLimits.MinVisibilityMs}–{QueueLimits.MaxVisibilityMs}.");
        }

        // Each broker call waits at most QueueLimits.MaxWaitPerCallMs (under the Orleans call timeout); loop for longer.
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(waitMs);
        var visibility = TimeSpan.FromMilliseconds(visibilityMs);
        while (true)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            var messages = await Broker(grains)
                .Receive(queueName, groupName, body.Consumer!, max, remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, visibility, cancellationToken)
                .ConfigureAwait(false);
            if (messages.Count > 0 || DateTimeOffset.UtcNow >= deadline || cancellationToken.IsCancellationRequested)
            {
                return Results.Ok(new ReceiveResponse(messages.Select(QueueMessageResponse.From).ToList()));
            }
        }
    }

    private static async Task<IResult> AckAsync(string queue, string group, ReceiptsBody? body, IGrainFactory grains)
    {
        if (!TryReadSettle(queue, group, body, out var queueName, out var groupName, out var problem))
        {
            return problem!;
        }

        var acked = await Broker(grains).Ack(queueName, groupName, body!.Receipts!).ConfigureAwait(false);
        return Results.Ok(new AckResponse(acked));
    }

    private static async Task<IResult> NackAsync(string queue, string group, ReceiptsBody? body, IGrainFactory grains)
    {
        if (!TryReadSettle(queue, group, body, out var queueName, out var groupName, out var problem))
        {
            return problem!;
        }

        var nacked = await Broker(grains).Nack(queueName, groupName, body!.Receipts!, body.Requeue ?? true).ConfigureAwait(false);
        return Results.Ok(new NackResponse(nacked));
    }

    private static async Task<IResult> GetInfoAsync(string queue, IGrainFactory grains)
    {
        if (!RouteName.TryRead(queue, "queue", out var name, out var problem))
        {
            return problem!;
        }

        return Results.Ok(await Broker(grains).GetInfo(name).ConfigureAwait(false));
    }

    private static async Task<IResult> GetDeadLettersAsync(string queue, [FromQuery] string? group, [FromQuery] int? max, IGrainFactory grains)
    {
        if (!TryReadDeadLetterCall(queue, group, max, out var name, out var count, out var problem))
        {
            return problem!;
        }

        var letters = await Broker(grains).GetDeadLetters(name, group, count).ConfigureAwait(false);
        return Results.Ok(new DeadLettersResponse(letters.Select(DeadLetterResponse.From).ToList()));
    }

    private static async Task<IResult> ReplayAsync(string queue, ReplayBody? body, IGrainFactory grains)
    {
        if (!TryReadDeadLetterCall(queue, body?.Group, body?.Max, out var name, out var count, out var problem))
        {
            return problem!;
        }

        var replayed = await Broker(grains).ReplayDeadLetters(name, body?.Group, count).ConfigureAwait(false);
        return Results.Ok(new ReplayResponse(replayed));
    }

    private static async Task<IResult> SeekAsync(string queue, string group, SeekBody? body, IGrainFactory grains)
    {
        if (!TryReadNames(queue, group, out var queueName, out var groupName, out var problem))
        {
            return problem!;
        }

        if (body?.Offset is not { } offset || offset < 0)
        {
            return ApiProblem.Invalid("offset", "offset is required and must be 0 or more.");
        }

        if (body.Partition is < 0)
        {
            return ApiProblem.Invalid("partition", "partition must be 0 or more.");
        }

        try
        {
            var positions = await Broker(grains).Seek(queueName, groupName, body.Partition, offset).ConfigureAwait(false);
            return Results.Ok(new SeekResponse(positions));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Only the cluster knows the partition count and each partition's end.
            var field = ex.ParamName ?? (ex.Message.StartsWith("partition", StringComparison.Ordinal) ? "partition" : "offset");
            return ApiProblem.Invalid(field, Detail(ex));
        }
    }

    private static bool TryReadNames(string queue, string group, out string queueName, out string groupName, out IResult? problem)
    {
        groupName = "";
        return RouteName.TryRead(queue, "queue", out queueName, out problem)
            && RouteName.TryRead(group, "group", out groupName, out problem);
    }

    private static bool TryReadSettle(string queue, string group, ReceiptsBody? body, out string queueName, out string groupName, out IResult? problem)
    {
        if (!TryReadNames(queue, group, out queueName, out groupName, out problem))
        {
            return false;
        }

        try
        {
            QueueReceipt.ParseAll(body?.Receipts, "receipts");
            return true;
        }
        catch (ArgumentException ex)
        {
            problem = ApiProblem.Invalid("receipts", Detail(ex));
            return false;
        }
    }

    private static bool TryReadDeadLetterCall(string queue, string? group, int? max, out string name, out int count, out IResult? problem)
    {
        count = max ?? DefaultDeadLetterMax;
        if (!RouteName.TryRead(queue, "queue", out name, out problem))
        {
            return false;
        }

        if (group is not null && !ResourceName.IsValid(group))
        {
            problem = ApiProblem.Invalid("group", "group must be 1–256 characters of [A-Za-z0-9._:/-].");
            return false;
        }

        if (count is < 1 or > QueueLimits.MaxDeadLetterBatch)
        {
            problem = ApiProblem.Invalid("max", $"max must be 1–{QueueLimits.MaxDeadLetterBatch}.");
            return false;
        }

        return true;
    }

    private static string Detail(ArgumentException ex) => ex.Message.Split(" (Parameter", 2)[0];
}
