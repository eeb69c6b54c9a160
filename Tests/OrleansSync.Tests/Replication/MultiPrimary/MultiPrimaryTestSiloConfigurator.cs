using Orleans.TestingHost;
using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>The embedded profile's providers plus a 1 s anti-entropy interval, so convergence deadlines stay short.</summary>
public sealed class MultiPrimaryTestSiloConfigurator : ISiloConfigurator
{
    public static readonly TimeSpan AntiEntropyInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long copies may take to agree once they can reach each other: a full exchange takes one interval plus a few
    /// calls; the factor leaves room for a slow, shared machine without hiding a copy that never converges.
    /// </summary>
    public static readonly TimeSpan ConvergenceDeadline = AntiEntropyInterval * 30;

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        new MemoryProfileSiloConfigurator().Configure(siloBuilder);
        siloBuilder.Configure<MultiPrimaryOptions>(o => o.AntiEntropyInterval = AntiEntropyInterval);
    }
}
