namespace OrleansSync.Silo.Api.Cluster;

/// <summary>One silo as the membership table describes it.</summary>
internal sealed record ClusterSilo(string Address, string Name, string Status, DateTime StartedAt);
