namespace OrleansSync.Cluster;

/// <summary>
/// A tiny diagnostic grain: it tells which silo hosts it and keeps one persisted value, so operators
/// (and the test suite) can check placement, failover and storage of a running cluster.
/// </summary>
[Alias("OrleansSync.Cluster.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Where this activation runs and what it holds.</summary>
    [Alias("Describe")]
    Task<ProbeInfo> Describe();

    /// <summary>
    /// Writes <paramref name="value"/> to grain storage (with the storage ETag) and returns the new info.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or longer than 4,096 characters.</exception>
    [Alias("Write")]
    Task<ProbeInfo> Write(string value);
}
