namespace OrleansSync.Queues;

/// <summary>The bounds every queue entry point (client, HTTP, grain) enforces.</summary>
public static class QueueLimits
{
    /// <summary>Largest message body: 1 MiB. HTTP answers 413 beyond it.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Most messages in one publish: 1,000. HTTP answers 413 beyond it.</summary>
    public const int MaxMessagesPerPublish = 1000;

    /// <summary>Longest message id or key: 256 characters.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Most headers on one message: 64.</summary>
    public const int MaxHeaders = 64;

    /// <summary>Longest header name: 256 characters.</summary>
    public const int MaxHeaderNameLength = 256;

    /// <summary>Longest header value: 4,096 characters.</summary>
    public const int MaxHeaderValueLength = 4096;

    /// <summary>Most messages one receive may ask for: 1,000.</summary>
    public const int MaxReceive = 1000;

    /// <summary>Longest receive wait: 300,000 ms (5 minutes). The server waits in bounded slices under the Orleans call timeout.</summary>
    public const int MaxWaitMs = 300_000;

    /// <summary>
    /// Longest wait one broker call performs: 20,000 ms, under the 30 s Orleans call timeout. The client and the HTTP API
    /// loop over such calls for longer waits.
    /// </summary>
    public const int MaxWaitPerCallMs = 20_000;

    /// <summary>Shortest visibility timeout: 1,000 ms.</summary>
    public const int MinVisibilityMs = 1000;

    /// <summary>Longest visibility timeout: 43,200,000 ms (12 hours).</summary>
    public const int MaxVisibilityMs = 43_200_000;

    /// <summary>Most receipts in one ack or nack: 1,000.</summary>
    public const int MaxReceipts = 1000;

    /// <summary>Most dead letters listed or replayed in one call: 1,000.</summary>
    public const int MaxDeadLetterBatch = 1000;
}
