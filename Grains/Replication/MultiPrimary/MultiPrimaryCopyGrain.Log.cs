using Microsoft.Extensions.Logging;

namespace OrleansSync.Replication.MultiPrimary;

internal sealed partial class MultiPrimaryCopyGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Group {Group} copy {Index}: {Operation} with copy {Peer} failed; anti-entropy retries")]
    private partial void LogPeerFailed(Exception exception, string group, int index, int peer, string operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group {Group} copy {Index}: saving {Keys} keys failed; deactivating to reload what is durable")]
    private partial void LogSaveFailed(Exception exception, string group, int index, int keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Group} copy {Index}: dropped {Keys} tombstones older than {Retention}")]
    private partial void LogTombstonesPurged(string group, int index, int keys, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Group {Group} copy {Index}: publishing the change of key {Key} on the feed failed; readers find it with their next catch-up read")]
    private partial void LogPublishFailed(Exception exception, string group, int index, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {Group} copy {Index}: timestamp {Timestamp} is more than {MaxDrift} ahead of this silo's clock; merged without moving the clock")]
    private partial void LogClockDrift(string group, int index, string timestamp, TimeSpan maxDrift);
}
