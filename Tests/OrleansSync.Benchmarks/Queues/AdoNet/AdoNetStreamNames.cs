namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>Names shared by the benchmark's in-process silo, its producers and its consumer grains.</summary>
internal static class AdoNetStreamNames
{
    /// <summary>The stream provider's name (the provider's <c>ProviderId</c> in the message table).</summary>
    public const string Provider = "adonet-bench";

    /// <summary>The stream namespace the consumer grains subscribe to implicitly.</summary>
    public const string Namespace = "orleanssync-bench";

    /// <summary>The silo's <c>ServiceId</c> (first column of every message row).</summary>
    public const string ServiceId = "queues-adonet";
}
