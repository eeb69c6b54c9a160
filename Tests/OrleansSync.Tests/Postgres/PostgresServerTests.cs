using System.Net.Sockets;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>The message a test gets when the PostgreSQL server is missing must say where it looked and what to do.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public void Unreachable_NamesTheEndpointTheVariableAndTheScript_WithoutThePassword()
    {
        var ex = PostgresServer.Unreachable(new SocketException((int)SocketError.ConnectionRefused));

        Assert.StartsWith($"PostgreSQL is not reachable at {PostgresServer.Endpoint} ({PostgresServer.EnvironmentVariable}=", ex.Message, StringComparison.Ordinal);
        Assert.Contains("run the test script, which installs and starts it", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=orleanssync", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<SocketException>(ex.InnerException);
    }

    [Fact]
    public async Task Server_IsReachable()
    {
        // Fails (never skips) with the message above when the server is missing.
        await using var connection = await PostgresServer.OpenMaintenanceConnectionAsync();
        Assert.True(connection.PostgreSqlVersion.Major >= 15, $"PostgreSQL {connection.ServerVersion} is older than 15");
    }
}
