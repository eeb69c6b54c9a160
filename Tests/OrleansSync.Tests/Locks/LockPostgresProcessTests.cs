using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

/// <summary>
/// Locks on the PostgreSQL profile with real Silo processes: a held lock whose silo is killed with SIGKILL is
/// granted again to the waiter (larger token, the old token refused), and tokens keep increasing across a full
/// cluster crash and restart.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LockPostgresProcessTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailureDetectionDeadline = SiloSettings.FailureDetectionDeadline;

    [Fact]
    public async Task After_kill_9_of_the_silo_hosting_a_held_lock_the_waiter_gets_it_with_a_larger_token_and_the_old_token_is_refused()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = Settings(database.ConnectionString);
        await using var survivor = SiloProcess.Start(settings, name: "survivor");
        await survivor.WaitHealthyAsync(StartDeadline);
        await using var victim = SiloProcess.Start(settings, name: "victim");
        await victim.WaitHealthyAsync(StartDeadline);

        // Through the survivor's gateway only, so the client keeps its connection when the victim dies.
        await using var client = await ConnectAsync($"127.0.0.1:{survivor.GatewayPort}");
        // The services as an application gets them; with a 10 s response timeout each wait call lasts at most 5 s.
        var locks = client.Services.GetRequiredService<ILockService>();
        var management = client.Grains.GetGrain<IManagementGrain>(0);
        var name = await Eventually.UntilAsync(
            async () =>
            {
                var candidate = UniqueName("crash");
                await client.Grains.GetGrain<ILockGrain>(candidate).Describe();
                var silo = await management.GetActivationAddress(client.Grains.GetGrain<ILockGrain>(candidate));
                return (Name: candidate, Port: silo?.Endpoint.Port);
            },
            found => found.Port == victim.SiloPort,
            TimeSpan.FromSeconds(30),
            "a lock grain activates on the victim silo");

        // The holder does not renew: it stands for a holder that died with the silo.
        var lease = TimeSpan.FromSeconds(5);
        var doomed = await locks.AcquireAsync(name.Name, TimeSpan.FromSeconds(10), Options("doomed", lease, autoRenew: false));
        var waiting = locks.AcquireAsync(name.Name, TimeSpan.FromSeconds(90), Options("waiter"));
        await Eventually.UntilAsync(async () => (await locks.GetStatusAsync(name.Name)).Waiters == 1, TimeSpan.FromSeconds(10), "the waiter is queued");

        var clock = Stopwatch.StartNew();
        victim.Kill();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(clock.Elapsed < lease + FailureDetectionDeadline, $"granted again only after {clock.Elapsed}");
        Assert.True(next.FencingToken > doomed.FencingToken, $"token {next.FencingToken} after {doomed.FencingToken}");
        Assert.Equal("waiter", (await locks.GetStatusAsync(name.Name)).Holders.Single().Owner);
        await Assert.ThrowsAsync<LockTokenMismatchException>(() => doomed.RenewAsync());
        await Assert.ThrowsAsync<LockTokenMismatchException>(() => doomed.ReleaseAsync());
    }

    [Fact]
    public async Task Tokens_keep_increasing_and_a_held_grant_survives_a_full_cluster_crash_and_restart()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = Settings(database.ConnectionString);
        var silo = SiloProcess.Start(settings, name: "only");
        long lastBefore;
        try
        {
            await silo.WaitHealthyAsync(StartDeadline);
            await using var client = await ConnectAsync($"127.0.0.1:{silo.GatewayPort}");
            var locks = new LockService(new LeaseClient(client.Grains, TimeProvider.System, NullLoggerFactory.Instance));
            for (var i = 0; i < 3; i++)
            {
                await using var cycle = await locks.AcquireAsync("restart/a", TimeSpan.FromSeconds(10));
            }

            var held = await locks.AcquireAsync("restart/a", TimeSpan.FromSeconds(10), Options("before-crash", TimeSpan.FromSeconds(4), autoRenew: false));
            lastBefore = held.FencingToken;
            Assert.Equal(4, lastBefore);
            silo.Kill();
        }
        finally
        {
            silo.Kill();
        }

        await using var restarted = silo.Restart();
        await silo.DisposeAsync();
        await restarted.WaitHealthyAsync(StartDeadline);
        await using var after = await ConnectAsync($"127.0.0.1:{restarted.GatewayPort}");
        var locksAfter = new LockService(new LeaseClient(after.Grains, TimeProvider.System, NullLoggerFactory.Instance));

        var status = await locksAfter.GetStatusAsync("restart/a");
        Assert.Equal(lastBefore, status.LastToken);
        await using var next = await locksAfter.AcquireAsync("restart/a", TimeSpan.FromSeconds(30));
        Assert.True(next.FencingToken > lastBefore, $"token {next.FencingToken} after {lastBefore}");
    }

    private static Dictionary<string, string> Settings(string connectionString) =>
        SiloSettings.Postgres(connectionString, fastFailureDetection: true);

    private static Task<ClientHost> ConnectAsync(string gateway) => ClientHost.ConnectAsync(gateway: gateway);
}
