using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

public sealed class LwwRegisterTests
{
    [Fact]
    public void The_later_write_wins_in_either_merge_order()
    {
        var wall = new SteppedClock();
        var a = new HybridLogicalClock("a", wall);
        var b = new HybridLogicalClock("b", wall);
        var first = LwwRegister.Empty.Set([1], a);
        wall.Step(TimeSpan.FromMilliseconds(1));
        var second = LwwRegister.Empty.Set([2], b);

        Assert.Equal([2], first.Merge(second).Value);
        Assert.Equal([2], second.Merge(first).Value);
    }

    [Fact]
    public void Ties_on_time_break_deterministically_by_node_then_tombstone_then_bytes()
    {
        var wall = new SteppedClock();
        var fromA = LwwRegister.Empty.Set([9], new HybridLogicalClock("a", wall));
        var fromB = LwwRegister.Empty.Set([1], new HybridLogicalClock("b", wall));
        Assert.Equal(fromA.Timestamp.WallTimeMs, fromB.Timestamp.WallTimeMs);
        Assert.Equal([1], fromA.Merge(fromB).Value);
        Assert.Equal([1], fromB.Merge(fromA).Value);

        var stamp = new HlcTimestamp(10, 0, "n");
        var small = new LwwRegister(stamp, [1, 2]);
        var large = new LwwRegister(stamp, [1, 3]);
        var tombstone = new LwwRegister(stamp, null);
        Assert.Equal(large, small.Merge(large));
        Assert.Equal(large, large.Merge(small));
        Assert.Equal(tombstone, large.Merge(tombstone));
        Assert.Equal(tombstone, tombstone.Merge(small));
    }

    [Fact]
    public void Delete_writes_a_tombstone_that_beats_older_writes_arriving_later()
    {
        var wall = new SteppedClock();
        var a = new HybridLogicalClock("a", wall);
        var old = LwwRegister.Empty.Set([1], a);
        wall.Step(TimeSpan.FromMilliseconds(5));
        var deleted = old.Delete(a);

        Assert.False(deleted.HasValue);
        Assert.True(deleted.IsDeleted);
        Assert.False(LwwRegister.Empty.IsDeleted);
        Assert.True(old.IsLessOrEqual(deleted));
        Assert.Equal(deleted, deleted.Merge(old));

        var rewritten = deleted.Set([2], a);
        Assert.Equal([2], rewritten.Value);
    }

    [Fact]
    public void Equality_compares_bytes_not_references()
    {
        var stamp = new HlcTimestamp(1, 0, "a");
        Assert.Equal(new LwwRegister(stamp, [1, 2]), new LwwRegister(stamp, [1, 2]));
        Assert.NotEqual(new LwwRegister(stamp, [1, 2]), new LwwRegister(stamp, [1]));
        Assert.NotEqual(new LwwRegister(stamp, []), new LwwRegister(stamp, null));
    }
}
