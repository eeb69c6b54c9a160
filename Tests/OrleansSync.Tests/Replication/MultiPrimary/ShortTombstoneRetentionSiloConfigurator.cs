using Orleans.TestingHost;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>A 2 s tombstone retention and a 200 ms anti-entropy interval, so purging is seen within a short deadline.</summary>
public sealed class ShortTombstoneRetentionSiloConfigurator : ISiloConfigurator
{
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(2);

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        siloBuilder.Configure<MultiPrimaryOptions>(o =>
        {
            o.TombstoneRetention = Retention;
            o.AntiEntropyInterval = TimeSpan.FromMilliseconds(200);
        });
    }
}
