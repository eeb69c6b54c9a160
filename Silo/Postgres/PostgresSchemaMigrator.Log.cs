using Microsoft.Extensions.Logging;

namespace OrleansSync.Silo.Postgres;

/// <content>Log messages of <see cref="PostgresSchemaMigrator"/> (source-generated, no boxing or formatting when disabled).</content>
internal sealed partial class PostgresSchemaMigrator
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Waiting for the schema migration lock (advisory lock {LockKey})")]
    private partial void LogWaitingForLock(long lockKey);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Applying PostgreSQL migration {Migration} (sha256 {Checksum})")]
    private partial void LogApplying(string migration, string checksum);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Applied PostgreSQL migration {Migration} in {ElapsedMilliseconds} ms")]
    private partial void LogApplied(string migration, long elapsedMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "The PostgreSQL schema is up to date (version {Version})")]
    private partial void LogUpToDate(int version);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "PostgreSQL migration {Migration} was applied with checksum {AppliedChecksum} but this build embeds {EmbeddedChecksum}")]
    private partial void LogChecksumMismatch(string migration, string appliedChecksum, string embeddedChecksum);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "The database has schema version {AppliedVersion}, newer than this build's {LatestVersion}; continuing without changes")]
    private partial void LogDatabaseIsNewer(int appliedVersion, int latestVersion);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Could not release the schema migration lock; it is released when the connection closes")]
    private partial void LogUnlockFailed(Exception exception);
}
