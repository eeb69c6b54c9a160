using OrleansSync.Replication;
using OrleansSync.Replication.PrimaryBackup;

namespace OrleansSync.Tests.Replication.PrimaryBackup;

public sealed class PendingBatchTests
{
    [Fact]
    public async Task Settles_only_after_it_is_sealed_and_its_last_write_settled()
    {
        var batch = new PendingBatch();
        var first = Ordered(batch, version: 1, needed: 2);
        var second = Ordered(batch, version: 2, needed: 1);
        batch.Seal();

        Assert.True(second.AckLocal());
        Assert.False(batch.Settled.IsCompleted);

        Assert.False(first.AckLocal());
        Assert.False(batch.Settled.IsCompleted);

        Assert.True(first.AckBackup());
        Assert.True(batch.Settled.IsCompleted);
        Assert.True(first.Done.Task.IsCompleted && second.Done.Task.IsCompleted);
        Assert.Equal(ReplicaWriteStatus.Ok, await first.Done.Task);
        Assert.Equal(ReplicaWriteStatus.Ok, await second.Done.Task);
    }

    [Fact]
    public void Writes_settled_before_the_seal_leave_it_to_the_seal()
    {
        var batch = new PendingBatch();
        var write = Ordered(batch, version: 1, needed: 1);
        Assert.True(write.AckLocal());
        Assert.False(batch.Settled.IsCompleted);

        batch.Seal();
        Assert.True(batch.Settled.IsCompleted);
    }

    [Fact]
    public void An_empty_batch_settles_when_sealed()
    {
        var batch = new PendingBatch();
        Assert.False(batch.Settled.IsCompleted);

        batch.Seal();
        Assert.True(batch.Settled.IsCompleted);
    }

    [Fact]
    public async Task A_failed_write_counts_once_and_a_late_acknowledgement_does_not_change_it()
    {
        var batch = new PendingBatch();
        var failed = Ordered(batch, version: 1, needed: 2);
        var waiting = Ordered(batch, version: 2, needed: 2);
        batch.Seal();

        failed.Fail();
        failed.Fail();
        Assert.False(batch.Settled.IsCompleted);
        Assert.False(failed.AckLocal());
        Assert.False(failed.AckBackup());
        Assert.True(failed.Done.Task.IsCompleted);
        Assert.Equal(ReplicaWriteStatus.Unavailable, await failed.Done.Task);
        Assert.False(batch.Settled.IsCompleted);

        waiting.Fail();
        Assert.True(batch.Settled.IsCompleted);
    }

    private static PendingWrite Ordered(PendingBatch batch, long version, int needed)
    {
        batch.Join();
        return new PendingWrite(new ReplicaChange("k" + version, [1], version, 1, false), needed, batch);
    }
}
