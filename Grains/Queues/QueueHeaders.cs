using System.Collections.ObjectModel;

namespace OrleansSync.Queues;

/// <summary>Shared empty header map.</summary>
internal static class QueueHeaders
{
    public static readonly IReadOnlyDictionary<string, string> Empty = ReadOnlyDictionary<string, string>.Empty;
}
