using OrleansSync.Silo.Postgres;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// <c>dotnet run --project Silo -- migrate</c>: applies pending PostgreSQL migrations with the same
/// configuration keys as the silo, then exits. Safe to run while silos start (advisory lock).
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = OrleansSyncOptionsReader.Read(configuration);
        if (options.Storage != StorageProfile.Postgres)
        {
            throw new StartupFailure("OrleansSync: 'migrate' needs the Postgres profile: set OrleansSync__Storage=Postgres and OrleansSync__ConnectionString.");
        }

        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true));
        var target = PostgresPreflight.Describe(options.ConnectionString);
        await PostgresPreflight.PingAsync(options, target, CancellationToken.None).ConfigureAwait(false);
        var migrator = new PostgresSchemaMigrator(options.ConnectionString!, loggers.CreateLogger<PostgresSchemaMigrator>());
        var applied = await migrator.MigrateAsync().ConfigureAwait(false);
        await Console.Out.WriteLineAsync(applied.Count == 0
            ? $"OrleansSync: {target} is up to date."
            : $"OrleansSync: applied {applied.Count} migration(s) to {target}: {string.Join(", ", applied)}").ConfigureAwait(false);
        return 0;
    }
}
