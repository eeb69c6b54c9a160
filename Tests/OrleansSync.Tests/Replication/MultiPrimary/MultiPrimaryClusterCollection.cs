namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>Multi-primary tests that share one <see cref="MultiPrimaryClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MultiPrimaryClusterCollection : ICollectionFixture<MultiPrimaryClusterFixture>
{
    public const string Name = "multi-primary 3-silo cluster";
}
