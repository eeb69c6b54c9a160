using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>One real embedded-profile Silo process for the lock HTTP tests.</summary>
public sealed class LockSiloFixture() : EmbeddedSiloFixture("locks-http");
