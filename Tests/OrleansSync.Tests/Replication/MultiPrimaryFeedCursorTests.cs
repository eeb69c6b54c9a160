using OrleansSync.Client.Replication;
using OrleansSync.Replication;

namespace OrleansSync.Tests.Replication;

public sealed class MultiPrimaryFeedCursorTests
{
    [Fact]
    public void Delivers_a_key_only_when_newer_than_what_was_delivered_and_after_the_start()
    {
        var cursor = new MultiPrimaryFeedCursor(fromVersion: 100);

        Assert.False(cursor.TryDeliver(Change("a", 100)));
        Assert.True(cursor.TryDeliver(Change("a", 300)));
        Assert.False(cursor.TryDeliver(Change("a", 200)));
        Assert.False(cursor.TryDeliver(Change("a", 300)));
        Assert.True(cursor.TryDeliver(Change("b", 150)));
        Assert.True(cursor.TryDeliver(Change("a", 301)));

        // Two copies stamped concurrent writes with one version: the larger writer wins, as in the register.
        Assert.True(cursor.TryDeliver(Change("t", 500, "1.aa")));
        Assert.False(cursor.TryDeliver(Change("t", 500, "0.ff")));
        Assert.True(cursor.TryDeliver(Change("t", 500, "2.00")));
        Assert.False(cursor.TryDeliver(Change("t", 500, "2.00")));
    }

    [Fact]
    public void The_next_read_starts_one_look_back_before_the_highest_version_read_but_never_before_the_start()
    {
        var cursor = new MultiPrimaryFeedCursor(fromVersion: 5);
        Assert.Equal(5, cursor.ReadFrom);

        cursor.Read(MultiPrimaryFeedCursor.LookBack + 1_000);
        Assert.Equal(1_000, cursor.ReadFrom);

        cursor.Read(10);
        Assert.Equal(1_000, cursor.ReadFrom);
    }

    private static ReplicaChange Change(string key, long version, string? writer = null) => new(key, [1], version, 0, false, writer);
}
