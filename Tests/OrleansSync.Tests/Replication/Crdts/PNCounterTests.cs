using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

public sealed class PNCounterTests
{
    [Fact]
    public void The_value_sums_every_replicas_increments_minus_decrements_once()
    {
        var a = PNCounter.Empty.Increment("a", 5).Decrement("a", 2);
        var b = PNCounter.Empty.Increment("b", 10);
        var c = PNCounter.Empty.Decrement("c", 4);

        var merged = a.Merge(b).Merge(c).Merge(a).Merge(b);
        Assert.Equal(9, merged.Value);
        Assert.Equal(3, a.Value);

        // A replica's later state supersedes its earlier one instead of adding to it.
        var aLater = a.Increment("a", 1);
        Assert.Equal(10, merged.Merge(aLater).Value);
        Assert.Equal(10, aLater.Merge(merged).Merge(a).Value);
    }

    [Fact]
    public void Amounts_must_be_positive_and_totals_must_fit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PNCounter.Empty.Increment("a", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PNCounter.Empty.Decrement("a", -1));
        Assert.Throws<ArgumentException>(() => PNCounter.Empty.Increment("", 1));
        Assert.Throws<OverflowException>(() => PNCounter.Empty.Increment("a", long.MaxValue).Increment("a", 1));
        Assert.Throws<OverflowException>(() => PNCounter.Empty.Increment("a", long.MaxValue).Increment("b", 1).Value);
    }
}
