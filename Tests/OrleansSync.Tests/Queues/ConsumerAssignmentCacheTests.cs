using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>The broker's memory of heartbeat answers on its own: when a receive may skip the group grain and when not.</summary>
public sealed class ConsumerAssignmentCacheTests
{
    private const string Group = "q|g";
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(3);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_stands_in_for_heartbeats_only_inside_the_renewal_period()
    {
        var cache = new ConsumerAssignmentCache(RenewEvery);
        var assignment = new ConsumerAssignment(4, [0, 2]);
        cache.Remember(Group, "a", assignment, Start);

        Assert.True(cache.TryGet(Group, "a", Start + RenewEvery - TimeSpan.FromMilliseconds(1), out var known));
        Assert.Same(assignment, known);

        // At the end of the period the lease must be renewed by a real heartbeat (which also expires silent consumers).
        Assert.False(cache.TryGet(Group, "a", Start + RenewEvery, out _));
        Assert.False(cache.TryGet(Group, "b", Start, out _));
        Assert.False(cache.TryGet("q|other", "a", Start, out _));
    }

    [Fact]
    public void A_rebalance_seen_by_the_watch_or_by_another_consumer_drops_answers_of_older_generations()
    {
        var cache = new ConsumerAssignmentCache(RenewEvery);
        cache.Remember(Group, "a", new ConsumerAssignment(4, [0, 1, 2, 3]), Start);
        cache.Remember(Group, "b", new ConsumerAssignment(4, []), Start);

        cache.Rebalanced(Group, 5);
        Assert.False(cache.TryGet(Group, "a", Start, out _));
        Assert.False(cache.TryGet(Group, "b", Start, out _));

        // Another consumer's heartbeat answer of a newer generation tells the same.
        cache.Remember(Group, "a", new ConsumerAssignment(5, [0, 1]), Start);
        cache.Remember(Group, "b", new ConsumerAssignment(6, [2, 3]), Start);
        Assert.False(cache.TryGet(Group, "a", Start, out _));
        Assert.True(cache.TryGet(Group, "b", Start, out var b));
        Assert.Equal(6, b.Generation);

        // An older generation reported late changes nothing.
        cache.Rebalanced(Group, 5);
        Assert.True(cache.TryGet(Group, "b", Start, out _));
    }

    [Fact]
    public void A_forgotten_consumer_heartbeats_again()
    {
        var cache = new ConsumerAssignmentCache(RenewEvery);
        cache.Remember(Group, "a", new ConsumerAssignment(1, [0]), Start);
        cache.Forget(Group, "a");

        Assert.False(cache.TryGet(Group, "a", Start, out _));
    }

    [Fact]
    public void One_watch_per_group_runs_while_an_answer_is_usable_and_a_failed_watch_forgets_the_group()
    {
        var cache = new ConsumerAssignmentCache(RenewEvery);
        var watch = cache.Remember(Group, "a", new ConsumerAssignment(2, [0]), Start);
        Assert.NotNull(watch);
        Assert.Null(cache.Remember(Group, "b", new ConsumerAssignment(2, [1]), Start));

        Assert.True(cache.KeepWatching(Group, watch, Start, out var generation));
        Assert.Equal(2, generation);

        // Nothing usable any more: the watch ends and the group is forgotten, so the next answer starts a new watch.
        Assert.False(cache.KeepWatching(Group, watch, Start + RenewEvery, out _));
        var second = cache.Remember(Group, "a", new ConsumerAssignment(2, [0]), Start + RenewEvery);
        Assert.NotNull(second);
        Assert.False(cache.KeepWatching(Group, watch, Start + RenewEvery, out _));

        // A failure of the old watch does not touch the new one's group; a failure of the new one does.
        cache.ForgetGroup(Group, watch);
        Assert.True(cache.TryGet(Group, "a", Start + RenewEvery, out _));
        cache.ForgetGroup(Group, second);
        Assert.False(cache.TryGet(Group, "a", Start + RenewEvery, out _));
    }
}
