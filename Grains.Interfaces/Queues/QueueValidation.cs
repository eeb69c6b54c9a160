using OrleansSync.Naming;

namespace OrleansSync.Queues;

/// <summary>
/// Input checks shared by the .NET client, the HTTP API and the queue grains, so every entry point rejects the same
/// things with an <see cref="ArgumentException"/> that names the parameter.
/// </summary>
public static class QueueValidation
{
    /// <summary>Checks a publish batch.</summary>
    /// <param name="queue">The queue name (<see cref="ResourceName"/> rule).</param>
    /// <param name="messages">1–<see cref="QueueLimits.MaxMessagesPerPublish"/> messages.</param>
    /// <exception cref="ArgumentException">A name, id, key, header or the batch is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A body or the batch is over its limit.</exception>
    public static void ValidatePublish(string? queue, IReadOnlyList<QueueMessage>? messages)
    {
        ResourceName.Validate(queue, nameof(queue));
        if (messages is null || messages.Count == 0)
        {
            throw new ArgumentException("messages must hold at least one message.", nameof(messages));
        }

        if (messages.Count > QueueLimits.MaxMessagesPerPublish)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), messages.Count, $"At most {QueueLimits.MaxMessagesPerPublish} messages per publish.");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            ValidateMessage(messages[i], i);
        }
    }

    /// <summary>Checks one message; <paramref name="index"/> is its position, used in the error.</summary>
    /// <exception cref="ArgumentException">The message is null, or its id, key or headers are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The body is larger than <see cref="QueueLimits.MaxBodyBytes"/>.</exception>
    public static void ValidateMessage(QueueMessage? message, int index)
    {
        var field = $"messages[{index}]";
        if (message is null)
        {
            throw new ArgumentException($"{field} is null.", "messages");
        }

        if (message.Id is not null)
        {
            ValidateText(message.Id, $"{field}.id", QueueLimits.MaxIdLength);
        }

        if (message.Key is not null)
        {
            ValidateText(message.Key, $"{field}.key", QueueLimits.MaxIdLength);
        }

        if (message.Body is null)
        {
            throw new ArgumentException($"{field}.body is null.", "messages");
        }

        if (message.Body.Length > QueueLimits.MaxBodyBytes)
        {
            throw new ArgumentOutOfRangeException("messages", message.Body.Length, $"{field}.body is {message.Body.Length} bytes; the limit is {QueueLimits.MaxBodyBytes}.");
        }

        if (message.Headers is { } headers)
        {
            if (headers.Count > QueueLimits.MaxHeaders)
            {
                throw new ArgumentException($"{field}.headers has {headers.Count} entries; the limit is {QueueLimits.MaxHeaders}.", "messages");
            }

            foreach (var (name, value) in headers)
            {
                ValidateText(name, $"{field}.headers name", QueueLimits.MaxHeaderNameLength);
                if (value is null || value.Length > QueueLimits.MaxHeaderValueLength)
                {
                    throw new ArgumentException($"{field}.headers['{name}'] must be a string of at most {QueueLimits.MaxHeaderValueLength} characters.", "messages");
                }
            }
        }
    }

    /// <summary>Checks a receive request.</summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/>, <paramref name="wait"/> or <paramref name="visibility"/> is out of bounds.</exception>
    public static void ValidateReceive(string? queue, string? group, string? consumer, int max, TimeSpan wait, TimeSpan visibility)
    {
        ValidateGroup(queue, group);
        ResourceName.Validate(consumer, nameof(consumer));
        if (max is < 1 or > QueueLimits.MaxReceive)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be 1–{QueueLimits.MaxReceive}.");
        }

        if (wait < TimeSpan.Zero || wait > TimeSpan.FromMilliseconds(QueueLimits.MaxWaitMs))
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, $"wait must be 0–{QueueLimits.MaxWaitMs} ms.");
        }

        if (visibility < TimeSpan.FromMilliseconds(QueueLimits.MinVisibilityMs) || visibility > TimeSpan.FromMilliseconds(QueueLimits.MaxVisibilityMs))
        {
            throw new ArgumentOutOfRangeException(nameof(visibility), visibility, $"visibility must be {QueueLimits.MinVisibilityMs}–{QueueLimits.MaxVisibilityMs} ms.");
        }
    }

    /// <summary>Checks a queue and group name pair.</summary>
    /// <exception cref="ArgumentException">A name breaks the <see cref="ResourceName"/> rule.</exception>
    public static void ValidateGroup(string? queue, string? group)
    {
        ResourceName.Validate(queue, nameof(queue));
        ResourceName.Validate(group, nameof(group));
    }

    private static void ValidateText(string? text, string field, int maxLength)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maxLength)
        {
            throw new ArgumentException($"{field} must be 1–{maxLength} characters.", "messages");
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{field} contains a control character.", "messages");
            }
        }
    }
}
