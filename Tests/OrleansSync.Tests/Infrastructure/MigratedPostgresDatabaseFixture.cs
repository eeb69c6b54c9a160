namespace OrleansSync.Tests.Infrastructure;

/// <summary>xunit fixture: a fresh database on the test server with every OrleansSync migration applied.</summary>
public sealed class MigratedPostgresDatabaseFixture : PostgresDatabaseFixture
{
    /// <inheritdoc />
    protected override bool ApplyMigrations => true;
}
