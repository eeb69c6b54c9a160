using Orleans.TestingHost;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// The embedded profile with publish flow control on: one partition per queue, a prefetch of 10, publishes held while a
/// consumed group is more than 50 messages behind, for at most 20 s (longer than the tests wait for an answer).
/// </summary>
public sealed class QueuePublishHoldSiloConfigurator : ISiloConfigurator
{
    public const int MaxConsumerLag = 50;
    public const int Prefetch = 10;

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        new MemoryProfileSiloConfigurator().Configure(siloBuilder);
        siloBuilder.Configure<QueueOptions>(options =>
        {
            options.DefaultPartitions = 1;
            options.MaxInFlightPerConsumer = Prefetch;
            options.MaxConsumerLag = MaxConsumerLag;
            options.MaxPublishHold = TimeSpan.FromSeconds(20);
        });
    }
}
