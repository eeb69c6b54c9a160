namespace OrleansSync.Tests.Queues;

/// <summary>Queue tests that share one <see cref="QueueClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class QueueClusterCollection : ICollectionFixture<QueueClusterFixture>
{
    public const string Name = "queues 3-silo cluster";
}
