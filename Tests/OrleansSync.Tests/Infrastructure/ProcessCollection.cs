namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// Tests that start real Silo processes. They run one after another (a collection is sequential) so
/// failure-detection timings are not distorted by other process tests competing for the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "silo processes";
}
