namespace OrleansSync;

/// <summary>Names of the Orleans providers that OrleansSync registers on every silo and client.</summary>
public static class ProviderNames
{
    /// <summary>The grain storage provider that holds every OrleansSync grain's state.</summary>
    public const string GrainStorage = "orleanssync";

    /// <summary>The storage provider Orleans streams use for their pub-sub rendezvous state.</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>The stream provider for queues and change feeds.</summary>
    public const string Streams = "orleanssync-streams";
}
