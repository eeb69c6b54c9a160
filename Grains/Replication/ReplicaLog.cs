using Microsoft.Extensions.Logging;

namespace OrleansSync.Replication;

/// <summary>Log messages shared by the replica-group routing code.</summary>
internal static partial class ReplicaLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Replica group {Group}: copy {Copy} did not answer")]
    public static partial void CopyUnreachable(ILogger logger, Exception exception, string group, int copy);
}
