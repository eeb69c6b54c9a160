using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

public sealed class QueueFlowControlOptionsTests
{
    [Fact]
    public void Flow_control_is_off_by_default_and_holds_at_most_5_s()
    {
        var options = new QueueOptions();
        Assert.Equal(0, options.MaxConsumerLag);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxPublishHold);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(10_000_000)]
    public void A_lag_bound_of_zero_or_10_to_10_million_is_taken(int lag) =>
        Assert.Equal(lag, new QueueOptions { MaxConsumerLag = lag }.MaxConsumerLag);

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    [InlineData(10_000_001)]
    public void Any_other_lag_bound_is_refused(int lag) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueOptions { MaxConsumerLag = lag });

    [Theory]
    [InlineData(-1)]
    [InlineData(20_001)]
    public void A_hold_outside_0_to_20_s_is_refused(int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueOptions { MaxPublishHold = TimeSpan.FromMilliseconds(milliseconds) });
}
