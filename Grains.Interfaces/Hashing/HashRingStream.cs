namespace OrleansSync.Hashing;

/// <summary>Where a ring grain publishes its changes: one stream per ring (stream id = namespace + ring name) on <see cref="ProviderNames.Streams"/>.</summary>
public static class HashRingStream
{
    /// <summary>The stream namespace of ring change notifications; each item is a <see cref="HashRingSnapshot"/>.</summary>
    public const string Namespace = "OrleansSync.Rings";
}
