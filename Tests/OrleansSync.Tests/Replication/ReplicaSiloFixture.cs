using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>One real embedded-profile Silo process for the replication HTTP tests.</summary>
public sealed class ReplicaSiloFixture() : EmbeddedSiloFixture("replicas-http");
