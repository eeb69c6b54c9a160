using OrleansSync.Client.Queues;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// A receive call must end before the client's response timeout: otherwise the client gives up on it while the broker
/// still hands out messages that nobody reads until their visibility timeout.
/// </summary>
public sealed class QueueServiceWaitTests
{
    private static readonly TimeSpan BrokerLimit = TimeSpan.FromMilliseconds(QueueLimits.MaxWaitPerCallMs);

    [Fact]
    public void A_short_response_timeout_shortens_each_receive_call_to_half_of_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), QueueService.MaxWaitFor(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_long_or_unknown_response_timeout_keeps_the_broker_limit_per_call()
    {
        Assert.Equal(BrokerLimit, QueueService.MaxWaitFor(TimeSpan.FromMinutes(2)));
        Assert.Equal(BrokerLimit, QueueService.MaxWaitFor(null));
        Assert.Equal(BrokerLimit, QueueService.MaxWaitFor(Timeout.InfiniteTimeSpan));
    }
}
