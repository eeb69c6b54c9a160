using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>One real embedded-profile Silo process for the queue HTTP tests.</summary>
public sealed class QueueSiloFixture() : EmbeddedSiloFixture("queues-http");
