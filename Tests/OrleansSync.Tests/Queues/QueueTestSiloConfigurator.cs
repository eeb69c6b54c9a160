using Orleans.TestingHost;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>The embedded profile's providers plus queue settings short enough for tests: 3 s leases, 3 deliveries.</summary>
public sealed class QueueTestSiloConfigurator : ISiloConfigurator
{
    public const int MaxDeliveries = 3;
    public static readonly TimeSpan ConsumerLease = TimeSpan.FromSeconds(3);

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        new MemoryProfileSiloConfigurator().Configure(siloBuilder);
        siloBuilder.Configure<QueueOptions>(Apply);
    }

    public static void Apply(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxDeliveries = MaxDeliveries;
        options.ConsumerLease = ConsumerLease;
    }
}
