namespace OrleansSync.Replication.MultiPrimary;

/// <summary>Fixed limits of multi-primary groups (the value size limit is configurable on the silo).</summary>
public static class MultiPrimaryLimits
{
    /// <summary>Most copies per group.</summary>
    public const int MaxCopies = 7;

    /// <summary>Default largest register value, 1 MiB.</summary>
    public const int DefaultMaxValueBytes = 1024 * 1024;

    /// <summary>Longest set element, in characters.</summary>
    public const int MaxElementLength = 1024;

    /// <summary>Most set elements per add or remove call.</summary>
    public const int MaxElementsPerCall = 1000;

    /// <summary>Buckets the key space is split into for anti-entropy digests.</summary>
    public const int DigestBuckets = 64;
}
