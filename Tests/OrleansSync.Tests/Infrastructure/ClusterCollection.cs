namespace OrleansSync.Tests.Infrastructure;

/// <summary>Tests that share the one 3-silo <see cref="ClusterFixture"/>; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "3-silo cluster";
}
