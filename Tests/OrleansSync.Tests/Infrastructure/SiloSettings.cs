namespace OrleansSync.Tests.Infrastructure;

/// <summary>OrleansSync settings for <see cref="SiloProcess"/>es, shared by every process test.</summary>
public static class SiloSettings
{
    /// <summary>
    /// Failure detection for crash tests: probes every second, two missed probes suspect a silo, one vote
    /// declares it dead. A killed process refuses connections, so death is declared within a few seconds.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FastFailureDetection = new Dictionary<string, string>
    {
        ["Membership:ProbeTimeout"] = "00:00:01",
        ["Membership:NumMissedProbesLimit"] = "2",
        ["Membership:NumVotesForDeathDeclaration"] = "1",
        ["Membership:TableRefreshTimeout"] = "00:00:02",
        ["Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
    };

    /// <summary>How long a crash test allows for a killed silo to be declared dead and its grains to move.</summary>
    public static readonly TimeSpan FailureDetectionDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The Postgres profile on <paramref name="connectionString"/>; each test's own database, so the default cluster id is safe.</summary>
    public static Dictionary<string, string> Postgres(string connectionString, bool migrate = false, bool fastFailureDetection = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage"] = "Postgres",
            ["ConnectionString"] = connectionString,
            ["Migrate"] = migrate ? "true" : "false",
        };
        if (fastFailureDetection)
        {
            foreach (var (key, value) in FastFailureDetection)
            {
                settings[key] = value;
            }
        }

        return settings;
    }
}
