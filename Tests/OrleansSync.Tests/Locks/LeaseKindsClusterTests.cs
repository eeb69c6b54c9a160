using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

/// <summary>Semaphores, reader-writer locks and elections on the same lease core.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaseKindsClusterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly LeaseClient _leases = Leases(fixture);

    [Fact]
    public async Task Semaphore_admits_max_count_holders_and_pushes_a_freed_ticket_to_the_next_waiter()
    {
        var semaphores = new SemaphoreService(_leases);
        var name = UniqueName("sem/basic");
        var a = await semaphores.AcquireAsync(name, 2, Deadline, Options("a"));
        await using var b = await semaphores.AcquireAsync(name, 2, Deadline, Options("b"));

        Assert.Null(await semaphores.TryAcquireAsync(name, 2));
        var waiting = semaphores.AcquireAsync(name, 2, Deadline, Options("c"));
        await Eventually.UntilAsync(async () => (await semaphores.GetStatusAsync(name)).Waiters == 1, Deadline, "c is queued");
        Assert.Equal(2, (await semaphores.GetStatusAsync(name)).Holders.Count);

        await a.DisposeAsync();
        await using var c = await waiting;
        Assert.Equal(3, c.FencingToken);
        var status = await semaphores.GetStatusAsync(name);
        Assert.Equal(["b", "c"], status.Holders.Select(h => h.Owner).Order());
        Assert.Equal(2, status.Limit);
    }

    [Fact]
    public async Task Semaphore_rejects_a_different_count_while_in_use_and_bad_counts()
    {
        var semaphores = new SemaphoreService(_leases);
        var name = UniqueName("sem/mismatch");
        await using var held = await semaphores.AcquireAsync(name, 3, Deadline);

        var mismatch = await Assert.ThrowsAnyAsync<ArgumentException>(() => semaphores.TryAcquireAsync(name, 4));
        Assert.Contains("limit 3", mismatch.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => semaphores.TryAcquireAsync(name, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => semaphores.TryAcquireAsync(name, LeaseLimits.MaxSemaphoreLimit + 1));
    }

    [Fact]
    public async Task Readers_share_and_a_waiting_writer_blocks_new_readers_until_it_has_written()
    {
        var rw = new ReaderWriterLockService(_leases);
        var name = UniqueName("rw/pref");
        var r1 = await rw.AcquireReadLockAsync(name, Deadline, Options("r1"));
        var r2 = await rw.AcquireReadLockAsync(name, Deadline, Options("r2"));
        Assert.Null(await rw.TryAcquireWriteLockAsync(name));

        var writer = rw.AcquireWriteLockAsync(name, Deadline, Options("w"));
        await Eventually.UntilAsync(async () => (await rw.GetStatusAsync(name)).Waiters == 1, Deadline, "the writer is queued");

        // Writer preference: a new reader does not overtake the waiting writer.
        Assert.Null(await rw.TryAcquireReadLockAsync(name));
        var lateReader = rw.AcquireReadLockAsync(name, Deadline, Options("r3"));
        await Eventually.UntilAsync(async () => (await rw.GetStatusAsync(name)).Waiters == 2, Deadline, "the late reader is queued");

        await r1.DisposeAsync();
        Assert.False(writer.IsCompleted);
        await r2.DisposeAsync();
        var w = await writer;
        Assert.Equal(LeaseMode.Exclusive, (await rw.GetStatusAsync(name)).Holders.Single().Mode);
        Assert.False(lateReader.IsCompleted);

        await w.DisposeAsync();
        await using var r3 = await lateReader;
        Assert.True(r3.FencingToken > w.FencingToken);
    }

    [Fact]
    public async Task Election_has_one_leader_whose_term_is_its_token_and_resigning_elects_the_next_candidate()
    {
        var elections = new ElectionService(_leases);
        var name = UniqueName("election/basic");
        Assert.Null(await elections.GetLeaderAsync(name));

        var first = await elections.CampaignAsync(name, Deadline, Options("node-a"));
        var leader = await elections.GetLeaderAsync(name);
        Assert.Equal("node-a", leader!.Leader);
        Assert.Equal(first.FencingToken, leader.Term);
        Assert.Null(await elections.TryCampaignAsync(name, options: Options("node-b")));

        var second = elections.CampaignAsync(name, Deadline, Options("node-b"));
        await Eventually.UntilAsync(async () => !second.IsCompleted && (await fixture.Client.GetGrain<IElectionGrain>(name).Describe()).Waiters == 1, Deadline, "node-b is a candidate");

        await first.DisposeAsync();
        await using var next = await second;
        var newLeader = await elections.GetLeaderAsync(name);
        Assert.Equal("node-b", newLeader!.Leader);
        Assert.True(newLeader.Term > leader.Term);
    }

    [Fact]
    public async Task Election_leadership_moves_on_when_the_leader_stops_renewing()
    {
        var elections = new ElectionService(_leases);
        var name = UniqueName("election/expiry");
        var silent = await elections.CampaignAsync(name, Deadline, Options("silent", TimeSpan.FromMilliseconds(500), autoRenew: false));

        await using var next = await elections.CampaignAsync(name, Deadline, Options("next"));

        Assert.True(silent.IsLost);
        Assert.Equal(silent.FencingToken + 1, (await elections.GetLeaderAsync(name))!.Term);
    }

    [Fact]
    public async Task The_four_kinds_have_separate_names_spaces()
    {
        var name = UniqueName("kinds/same");
        await using var l = await new LockService(_leases).AcquireAsync(name, Deadline);
        await using var s = await new SemaphoreService(_leases).AcquireAsync(name, 1, Deadline);
        await using var w = await new ReaderWriterLockService(_leases).AcquireWriteLockAsync(name, Deadline);
        await using var e = await new ElectionService(_leases).CampaignAsync(name, Deadline);

        Assert.All(new[] { l, s, w, e }, h => Assert.Equal(1, h.FencingToken));
    }
}
