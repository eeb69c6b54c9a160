using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Tests.Replication.MultiPrimary;

public sealed class CopyContentsTombstoneTests
{
    private const long Cutoff = 1_000_000;

    [Fact]
    public void Purging_drops_tombstones_before_the_cutoff_and_leaves_the_same_digest_as_never_holding_them()
    {
        var contents = new CopyContents();
        contents.Merge("old-delete", Register(Cutoff - 1, null));
        contents.Merge("new-delete", Register(Cutoff, null));
        contents.Merge("old-value", Register(Cutoff - 5, [1]));
        contents.Merge("counted", new ReplicatedValue(new LwwRegister(new HlcTimestamp(Cutoff - 2, 0, "a"), null), PNCounter.Empty.Increment("a", 4), null));

        var purged = contents.PurgeTombstones(Cutoff);

        Assert.Equal(["counted", "old-delete"], purged.Order(StringComparer.Ordinal));
        Assert.Null(contents.Get("old-delete"));
        Assert.True(contents.Get("new-delete")!.Register!.IsDeleted);
        Assert.Equal([1], contents.Get("old-value")!.Register!.Value);
        var counted = contents.Get("counted")!;
        Assert.Null(counted.Register);
        Assert.Equal(4, counted.Counter!.Value);
        Assert.Equal(3, contents.Count);

        var expected = new CopyContents();
        expected.Merge("new-delete", Register(Cutoff, null));
        expected.Merge("old-value", Register(Cutoff - 5, [1]));
        expected.Merge("counted", new ReplicatedValue(null, PNCounter.Empty.Increment("a", 4), null));
        Assert.Equal(expected.Digest, contents.Digest);
        Assert.Equal(expected.BucketDigests, contents.BucketDigests);
        Assert.Empty(contents.PurgeTombstones(Cutoff));
    }

    [Fact]
    public void A_late_old_tombstone_still_deletes_the_older_value_before_it_is_dropped()
    {
        var contents = new CopyContents();
        contents.Merge("k", Register(Cutoff - 10, [7]));

        Assert.True(contents.Merge("k", Register(Cutoff - 3, null)));
        Assert.True(contents.PurgeTombstone("k", Cutoff));
        Assert.Null(contents.Get("k"));
        Assert.Equal(0, contents.Count);
        Assert.False(contents.PurgeTombstone("k", Cutoff));
        Assert.False(contents.PurgeTombstone("absent", Cutoff));
    }

    [Fact]
    public void Tombstone_retention_defaults_to_seven_days_and_refuses_values_out_of_range()
    {
        var options = new MultiPrimaryOptions();
        Assert.Equal(TimeSpan.FromDays(7), options.TombstoneRetention);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.TombstoneRetention = TimeSpan.FromMilliseconds(999));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.TombstoneRetention = TimeSpan.FromDays(3651));
        options.TombstoneRetention = TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.FromSeconds(1), options.TombstoneRetention);
    }

    private static ReplicatedValue Register(long wallTimeMs, byte[]? value) =>
        new(new LwwRegister(new HlcTimestamp(wallTimeMs, 0, "a"), value), null, null);
}
