namespace OrleansSync.Tests.Hashing.Placement;

/// <summary>A test grain that reports where it runs and can be told to deactivate.</summary>
[Alias("OrleansSync.Tests.Hashing.Placement.IPlacedGrain")]
public interface IPlacedGrain : IGrainWithStringKey
{
    /// <summary>The endpoint (host:port) of the silo hosting this activation.</summary>
    [Alias("Where")]
    Task<string> Where();

    /// <summary>Asks Orleans to place this grain afresh once idle and move it there when that is another silo.</summary>
    [Alias("Migrate")]
    Task Migrate();
}
