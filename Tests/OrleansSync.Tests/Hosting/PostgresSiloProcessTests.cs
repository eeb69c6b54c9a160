using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansSync.Cluster;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hosting;

/// <summary>
/// The real Silo executable on the PostgreSQL profile against a real server: schema checks, the migrate
/// command, a two-process cluster, state across a full restart, and takeover after kill -9.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PostgresSiloProcessTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan FailureDetectionDeadline = SiloSettings.FailureDetectionDeadline;

    [Fact]
    public async Task A_database_without_the_schema_stops_the_silo_with_one_line_saying_how_to_migrate()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: false);
        await using var silo = SiloProcess.Start(PostgresSettings(database.ConnectionString));

        var exitCode = await silo.WaitForExitAsync(ExitDeadline);

        Assert.Equal(4, exitCode);
        var line = Assert.Single(NonEmptyLines(silo.Output));
        Assert.Contains(database.Name, line, StringComparison.Ordinal);
        Assert.Contains("migrate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_command_applies_the_schema_then_finds_it_up_to_date_and_a_silo_starts_on_it()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: false);
        string[] migrate = ["migrate", "--OrleansSync:Storage=Postgres", $"--OrleansSync:ConnectionString={database.ConnectionString}"];

        var first = await SiloProcess.RunCommandAsync(migrate, ExitDeadline);
        var second = await SiloProcess.RunCommandAsync(migrate, ExitDeadline);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("applied", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);

        await using var silo = SiloProcess.Start(PostgresSettings(database.ConnectionString));
        await silo.WaitHealthyAsync(StartDeadline);
    }

    [Fact]
    public async Task Migrate_command_without_the_postgres_profile_fails_with_one_line()
    {
        var result = await SiloProcess.RunCommandAsync(["migrate"], ExitDeadline);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(NonEmptyLines(result.Output));
        Assert.Contains("Storage=Postgres", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_silo_processes_form_one_cluster_and_keep_grain_state_across_a_full_restart()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: false);
        var settings = PostgresSettings(database.ConnectionString, migrate: true);
        var first = SiloProcess.Start(settings, name: "silo-a");
        var second = SiloProcess.Start(settings, name: "silo-b");
        try
        {
            await Task.WhenAll(first.WaitHealthyAsync(StartDeadline), second.WaitHealthyAsync(StartDeadline));

            // The client finds both gateways in the membership table and reaches grains on both silos.
            var written = new Dictionary<string, string>();
            await using (var client = await ConnectAsync(database.ConnectionString))
            {
                var hosts = new HashSet<int>();
                await Eventually.UntilAsync(
                    async () =>
                    {
                        var key = $"probe-{written.Count}";
                        var info = await client.Grains.GetGrain<IProbeGrain>(key).Write($"value-{key}");
                        written[key] = info.Value!;
                        hosts.Add(PortOf(info.Silo));
                        return hosts.SetEquals([first.SiloPort, second.SiloPort]);
                    },
                    TimeSpan.FromSeconds(30),
                    "grains activate on both silos");
            }

            Assert.Equal(0, await first.StopAsync(ExitDeadline));
            Assert.Equal(0, await second.StopAsync(ExitDeadline));

            await using var firstAgain = first.Restart();
            await using var secondAgain = second.Restart();
            await Task.WhenAll(firstAgain.WaitHealthyAsync(StartDeadline), secondAgain.WaitHealthyAsync(StartDeadline));
            await using var reconnected = await ConnectAsync(database.ConnectionString);
            foreach (var (key, value) in written)
            {
                var info = await reconnected.Grains.GetGrain<IProbeGrain>(key).Describe();
                Assert.Equal(value, info.Value);
                Assert.Equal(1, info.Writes);
            }
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_kill_9_of_one_silo_the_other_takes_its_grains_within_failure_detection()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var settings = SiloSettings.Postgres(database.ConnectionString, fastFailureDetection: true);

        await using var survivor = SiloProcess.Start(settings, name: "survivor");
        await survivor.WaitHealthyAsync(StartDeadline);
        await using var victim = SiloProcess.Start(settings, name: "victim");
        await victim.WaitHealthyAsync(StartDeadline);

        // Connect through the survivor's gateway only, so losing the victim does not cost the client its connection.
        await using var client = await ConnectAsync(gateway: $"127.0.0.1:{survivor.GatewayPort}");
        var onVictim = await Eventually.UntilAsync(
            async () =>
            {
                var key = $"crash-{Guid.NewGuid():N}";
                var info = await client.Grains.GetGrain<IProbeGrain>(key).Write("before-crash");
                return (Key: key, Info: info);
            },
            found => PortOf(found.Info.Silo) == victim.SiloPort,
            TimeSpan.FromSeconds(30),
            "a grain activates on the victim silo");

        var clock = Stopwatch.StartNew();
        victim.Kill();

        var after = await Eventually.UntilAsync(
            () => client.Grains.GetGrain<IProbeGrain>(onVictim.Key).Describe(),
            info => PortOf(info.Silo) == survivor.SiloPort,
            FailureDetectionDeadline,
            "the killed silo's grain answers from the survivor");

        Assert.Equal("before-crash", after.Value);
        Assert.True(clock.Elapsed < FailureDetectionDeadline, $"takeover took {clock.Elapsed}");
    }

    private static Dictionary<string, string> PostgresSettings(string connectionString, bool migrate = false) =>
        SiloSettings.Postgres(connectionString, migrate);

    // Calls to a dead silo should fail fast enough for the takeover loop to retry.
    private static Task<ClientHost> ConnectAsync(string? connectionString = null, string? gateway = null) =>
        ClientHost.ConnectAsync(connectionString, gateway, TimeSpan.FromSeconds(5));

    private static int PortOf(string siloAddress) =>
        int.Parse(siloAddress.TrimStart('S').Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static string[] NonEmptyLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
