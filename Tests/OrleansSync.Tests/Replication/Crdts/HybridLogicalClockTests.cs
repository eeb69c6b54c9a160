using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

public sealed class HybridLogicalClockTests
{
    [Fact]
    public void Timestamps_keep_rising_while_the_wall_clock_goes_backwards()
    {
        var wall = new SteppedClock();
        var clock = new HybridLogicalClock("a", wall);
        var first = clock.Now();
        wall.Step(TimeSpan.FromSeconds(-30));
        var second = clock.Now();
        var third = clock.Now();
        wall.Step(TimeSpan.FromSeconds(31));
        var fourth = clock.Now();

        Assert.True(first < second && second < third && third < fourth);
        Assert.Equal(first.WallTimeMs, third.WallTimeMs);
        Assert.Equal(2, third.Logical);
        Assert.Equal(0, fourth.Logical);
        Assert.Equal(first.WallTimeMs + 1000, fourth.WallTimeMs);
    }

    [Fact]
    public void A_received_timestamp_orders_before_every_later_local_event()
    {
        var wall = new SteppedClock();
        var local = new HybridLogicalClock("a", wall);
        var remoteWall = new SteppedClock();
        remoteWall.Step(TimeSpan.FromSeconds(20));
        var remote = new HybridLogicalClock("b", remoteWall).Now();

        var received = local.Receive(remote);
        var next = local.Now();

        Assert.True(remote < received && received < next);
        Assert.Equal(remote.WallTimeMs, next.WallTimeMs);
        Assert.Equal("a", next.Node);
    }

    [Fact]
    public void A_timestamp_beyond_the_drift_bound_is_refused_and_leaves_the_clock_alone()
    {
        var wall = new SteppedClock();
        var local = new HybridLogicalClock("a", wall, TimeSpan.FromSeconds(10));
        var before = local.Now();
        var farAhead = new HlcTimestamp(before.WallTimeMs + 10_001, 0, "b");

        Assert.False(local.TryReceive(farAhead, out var unchanged));
        Assert.Equal(before, unchanged);
        Assert.Throws<ArgumentOutOfRangeException>(() => local.Receive(farAhead));
        Assert.Equal(before.WallTimeMs, local.Now().WallTimeMs);

        var withinBound = new HlcTimestamp(before.WallTimeMs + 10_000, 7, "b");
        Assert.True(local.TryReceive(withinBound, out var accepted));
        Assert.Equal(new HlcTimestamp(withinBound.WallTimeMs, 8, "a"), accepted);
    }

    [Fact]
    public void Equal_physical_and_logical_parts_are_ordered_by_node()
    {
        var a = new HlcTimestamp(5, 1, "a");
        var b = new HlcTimestamp(5, 1, "b");
        Assert.True(a < b);
        Assert.Equal(HlcTimestamp.Zero, new HlcTimestamp(0, 0, ""));
        Assert.True(HlcTimestamp.Zero < a);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new HybridLogicalClock("", TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new HybridLogicalClock(new string('n', 257), TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new HybridLogicalClock("a", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridLogicalClock("a", TimeProvider.System, TimeSpan.Zero));
    }
}
