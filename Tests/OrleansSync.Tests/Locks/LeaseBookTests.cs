using OrleansSync.Locks;

namespace OrleansSync.Tests.Locks;

public sealed class LeaseBookTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly ManualClock _clock = new();

    private LeaseBook NewBook(long lastToken = 0) => new(_clock, Grace, lastToken);

    private static LeaseRequest Exclusive(string owner, bool wait = true, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), owner, LeaseMode.Exclusive, Lease, 1, wait);

    private static LeaseRequest Shared(string owner, int limit, bool wait = true) =>
        new(Guid.NewGuid(), owner, LeaseMode.Shared, Lease, limit, wait);

    [Fact]
    public void First_request_is_granted_token_1_and_the_next_is_queued_then_handed_the_lock_with_token_2()
    {
        var book = NewBook();
        var a = book.Acquire(Exclusive("a"));
        var b = book.Acquire(Exclusive("b"));

        Assert.Equal(LeaseAcquireStatus.Granted, a.Status);
        Assert.Equal(1, a.Holder!.Token);
        Assert.Equal(LeaseAcquireStatus.Queued, b.Status);
        Assert.Equal(0, b.Position);

        Assert.True(book.Release(1));
        var handOff = Assert.Single(book.TakeHandOffs());
        Assert.Equal("b", handOff.Owner);
        Assert.Equal(2, handOff.Token);
        Assert.Equal(2, book.LastToken);
        Assert.True(book.IsDirty);
    }

    [Fact]
    public void Try_once_on_a_held_lock_is_refused_and_not_queued()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));

        var b = book.Acquire(Exclusive("b", wait: false));

        Assert.Equal(LeaseAcquireStatus.Refused, b.Status);
        Assert.Equal(0, book.WaiterCount);
    }

    [Fact]
    public void Retried_request_id_gets_the_same_grant_or_keeps_its_place()
    {
        var book = NewBook();
        var idA = Guid.NewGuid();
        var idB = Guid.NewGuid();
        var first = book.Acquire(Exclusive("a", id: idA));
        book.Acquire(Exclusive("b", id: idB));

        var again = book.Acquire(Exclusive("a", id: idA));
        var queuedAgain = book.Acquire(Exclusive("b", id: idB));

        Assert.Equal(first.Holder, again.Holder);
        Assert.Equal(1, book.LastToken);
        Assert.Equal(LeaseAcquireStatus.Queued, queuedAgain.Status);
        Assert.Equal(1, book.WaiterCount);
    }

    [Fact]
    public void An_expired_lease_is_handed_to_the_next_waiter_by_pump()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        var b = Exclusive("b");
        book.Acquire(b);
        book.BeginWait(b.RequestId);

        _clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        book.Pump();
        Assert.Empty(book.TakeHandOffs());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(_clock.GetUtcNow(), book.NextExpiry());
        book.Pump();
        var handOff = Assert.Single(book.TakeHandOffs());
        Assert.Equal(b.RequestId, handOff.RequestId);
        Assert.Equal(2, handOff.Token);
    }

    [Fact]
    public void Renew_and_release_with_a_stale_token_fail_and_change_nothing()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        _clock.Advance(Lease);
        var b = Exclusive("b");
        book.Acquire(b);
        book.MarkClean();

        Assert.Null(book.Renew(1, Lease));
        Assert.False(book.Release(1));
        Assert.Equal(2, Assert.Single(book.Holders).Token);
        Assert.False(book.IsDirty);
    }

    [Fact]
    public void Renew_extends_the_lease_from_now()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        _clock.Advance(TimeSpan.FromSeconds(6));

        var renewed = book.Renew(1, TimeSpan.FromSeconds(20));

        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(20), renewed!.ExpiresAt);
        _clock.Advance(TimeSpan.FromSeconds(19));
        book.Pump();
        Assert.Single(book.Holders);
    }

    [Fact]
    public void Waiters_are_served_in_arrival_order_with_increasing_tokens()
    {
        var book = NewBook();
        book.Acquire(Exclusive("holder"));
        var owners = Enumerable.Range(0, 6).Select(i => $"w{i}").ToList();
        foreach (var owner in owners)
        {
            var request = Exclusive(owner);
            book.Acquire(request);
            book.BeginWait(request.RequestId);
        }

        var served = new List<LeaseHolder>();
        var token = 1L;
        for (var i = 0; i < owners.Count; i++)
        {
            Assert.True(book.Release(token));
            var next = Assert.Single(book.TakeHandOffs());
            served.Add(next);
            token = next.Token;
        }

        Assert.Equal(owners, served.Select(h => h.Owner));
        Assert.Equal(Enumerable.Range(2, owners.Count).Select(i => (long)i), served.Select(h => h.Token));
    }

    [Fact]
    public void Once_a_writer_waits_new_readers_queue_behind_it_and_are_granted_together_after_it()
    {
        var book = NewBook();
        var reader1 = book.Acquire(Shared("r1", int.MaxValue));
        var writer = new LeaseRequest(Guid.NewGuid(), "w", LeaseMode.Exclusive, Lease, int.MaxValue, true);
        Assert.Equal(LeaseAcquireStatus.Queued, book.Acquire(writer).Status);
        book.BeginWait(writer.RequestId);

        var reader2 = Shared("r2", int.MaxValue);
        var reader3 = Shared("r3", int.MaxValue);
        Assert.Equal(LeaseAcquireStatus.Queued, book.Acquire(reader2).Status);
        Assert.Equal(LeaseAcquireStatus.Queued, book.Acquire(reader3).Status);
        book.BeginWait(reader2.RequestId);
        book.BeginWait(reader3.RequestId);

        Assert.True(book.Release(reader1.Holder!.Token));
        var w = Assert.Single(book.TakeHandOffs());
        Assert.Equal("w", w.Owner);

        Assert.True(book.Release(w.Token));
        Assert.Equal(["r2", "r3"], book.TakeHandOffs().Select(h => h.Owner));
    }

    [Fact]
    public void Semaphore_admits_limit_holders_and_rejects_a_different_limit_while_in_use()
    {
        var book = NewBook();
        Assert.Equal(LeaseAcquireStatus.Granted, book.Acquire(Shared("a", 2)).Status);
        Assert.Equal(LeaseAcquireStatus.Granted, book.Acquire(Shared("b", 2)).Status);
        Assert.Equal(LeaseAcquireStatus.Queued, book.Acquire(Shared("c", 2)).Status);

        var ex = Assert.Throws<ArgumentException>(() => book.Acquire(Shared("d", 3)));
        Assert.Equal("limit", ex.ParamName);
        Assert.Equal(2, book.Limit);
    }

    [Fact]
    public void A_waiter_without_a_pending_wait_past_the_grace_period_is_dropped_and_the_next_is_served()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        var dead = Exclusive("dead");
        var alive = Exclusive("alive");
        book.Acquire(dead);
        book.Acquire(alive);
        book.BeginWait(alive.RequestId);

        _clock.Advance(Grace + TimeSpan.FromSeconds(1));
        Assert.True(book.Release(1));

        Assert.Equal([dead.RequestId], book.TakeDropped());
        Assert.Equal("alive", Assert.Single(book.TakeHandOffs()).Owner);
    }

    [Fact]
    public void A_waiter_with_a_pending_wait_is_never_dropped()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        var waiter = Exclusive("w");
        book.Acquire(waiter);
        book.BeginWait(waiter.RequestId);

        _clock.Advance(Grace + TimeSpan.FromSeconds(4));
        Assert.True(book.Release(1));

        Assert.Empty(book.TakeDropped());
        Assert.Equal("w", Assert.Single(book.TakeHandOffs()).Owner);
    }

    [Fact]
    public void Cancel_removes_a_waiter_and_releases_a_granted_request()
    {
        var book = NewBook();
        var a = Exclusive("a");
        var b = Exclusive("b");
        var c = Exclusive("c");
        book.Acquire(a);
        book.Acquire(b);
        book.Acquire(c);
        book.BeginWait(c.RequestId);

        Assert.True(book.Cancel(b.RequestId));
        Assert.Equal([b.RequestId], book.TakeDropped());
        Assert.Equal(1, book.WaiterCount);

        Assert.True(book.Cancel(a.RequestId));
        Assert.Equal("c", Assert.Single(book.TakeHandOffs()).Owner);
        Assert.False(book.Cancel(Guid.NewGuid()));
    }

    [Fact]
    public void Tokens_continue_from_the_persisted_counter()
    {
        var book = NewBook(lastToken: 41);
        Assert.Equal(42, book.Acquire(Exclusive("a")).Holder!.Token);
    }

    [Fact]
    public void A_release_that_hands_over_to_nobody_need_not_be_written_first_but_is_remembered_until_its_lease_ends()
    {
        var book = NewBook();
        var granted = book.Acquire(Exclusive("a")).Holder!;
        Assert.True(book.IsDirty);
        book.MarkClean();

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(book.Release(granted.Token));

        Assert.False(book.IsDirty);
        Assert.Empty(book.Holders);
        Assert.Equal(granted.ExpiresAt, book.UnwrittenReleaseUntil);
        Assert.True(book.HasUnwrittenRelease);

        // Once the released lease would have ended anyway, storage that still lists it is harmless.
        _clock.Advance(Lease);
        Assert.False(book.HasUnwrittenRelease);
    }

    [Fact]
    public void A_grant_after_an_unwritten_release_covers_it()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        book.MarkClean();
        book.Release(1);

        var next = book.Acquire(Exclusive("b"));

        Assert.Equal(2, next.Holder!.Token);
        Assert.True(book.IsDirty);
        book.MarkClean();
        Assert.Null(book.UnwrittenReleaseUntil);
        Assert.False(book.HasUnwrittenRelease);
    }

    [Fact]
    public void A_book_rebuilt_from_storage_that_missed_a_release_grants_a_larger_token_once_that_lease_ends_and_not_before()
    {
        // Storage as written with the grant; the release that followed was never written (the silo crashed).
        var before = NewBook(lastToken: 6);
        var granted = before.Acquire(Exclusive("a")).Holder!;
        var storedHolders = before.Holders.ToList();
        var storedLastToken = before.LastToken;
        before.MarkClean();
        before.Release(granted.Token);

        var after = new LeaseBook(_clock, Grace, storedLastToken, 1, storedHolders);

        Assert.Equal(LeaseAcquireStatus.Refused, after.Acquire(Exclusive("early", wait: false)).Status);
        var waiter = Exclusive("waiter");
        Assert.Equal(LeaseAcquireStatus.Queued, after.Acquire(waiter).Status);
        after.BeginWait(waiter.RequestId);

        _clock.Advance(granted.ExpiresAt - _clock.GetUtcNow());
        Assert.Equal(granted.ExpiresAt, after.NextExpiry());
        after.Pump();

        var handOff = Assert.Single(after.TakeHandOffs());
        Assert.Equal("waiter", handOff.Owner);
        Assert.Equal(granted.Token + 1, handOff.Token);
    }

    [Fact]
    public void Expiry_alone_is_not_a_write_that_must_precede_an_answer()
    {
        var book = NewBook();
        book.Acquire(Exclusive("a"));
        book.MarkClean();

        _clock.Advance(Lease);
        book.Pump();

        Assert.Empty(book.Holders);
        Assert.False(book.IsDirty);
        Assert.False(book.HasUnwrittenRelease);
    }

    [Fact]
    public void A_hand_off_not_claimed_within_the_claim_window_ends_and_goes_to_the_next_waiter()
    {
        var book = NewBook();
        var a = book.Acquire(Exclusive("a")).Holder!;
        var gone = Exclusive("gone");
        var next = Exclusive("next");
        book.Acquire(gone);
        book.Acquire(next);
        book.BeginWait(gone.RequestId);
        book.BeginWait(next.RequestId);

        Assert.True(book.Release(a.Token));
        var handOff = Assert.Single(book.TakeHandOffs());
        Assert.Equal("gone", handOff.Owner);
        Assert.Equal(_clock.GetUtcNow() + book.ClaimWindow, book.ClaimDeadline(handOff.Token));
        Assert.Equal(_clock.GetUtcNow() + book.ClaimWindow, book.NextExpiry());

        _clock.Advance(book.ClaimWindow - TimeSpan.FromMilliseconds(1));
        book.Pump();
        Assert.Empty(book.TakeHandOffs());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        book.Pump();
        var second = Assert.Single(book.TakeHandOffs());
        Assert.Equal("next", second.Owner);
        Assert.Equal(handOff.Token + 1, second.Token);
        Assert.Equal(1, book.UnclaimedHandOffs);
        Assert.False(book.Claim(handOff.Token));
        Assert.Null(book.Renew(handOff.Token, Lease));
    }

    [Fact]
    public void A_claimed_hand_off_keeps_its_whole_lease()
    {
        var book = NewBook();
        var a = book.Acquire(Exclusive("a")).Holder!;
        var b = Exclusive("b");
        book.Acquire(b);
        book.BeginWait(b.RequestId);
        book.Release(a.Token);
        var handOff = Assert.Single(book.TakeHandOffs());
        book.MarkClean();

        Assert.True(book.Claim(handOff.Token));
        Assert.True(book.Claim(handOff.Token));
        Assert.Null(book.ClaimDeadline(handOff.Token));
        Assert.False(book.IsDirty);

        _clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        book.Pump();
        Assert.Equal(handOff.Token, Assert.Single(book.ValidHolders()).Token);
        Assert.Equal(0, book.UnclaimedHandOffs);
    }

    [Fact]
    public void A_renewal_claims_a_hand_off_and_a_grant_made_at_once_needs_no_claim()
    {
        var book = NewBook();
        var a = book.Acquire(Exclusive("a")).Holder!;
        Assert.Null(book.ClaimDeadline(a.Token));
        var b = Exclusive("b");
        book.Acquire(b);
        book.BeginWait(b.RequestId);
        book.Release(a.Token);
        var handOff = Assert.Single(book.TakeHandOffs());

        Assert.NotNull(book.Renew(handOff.Token, Lease));
        Assert.Null(book.ClaimDeadline(handOff.Token));
        _clock.Advance(book.ClaimWindow + TimeSpan.FromSeconds(1));
        book.Pump();
        Assert.Equal(handOff.Token, Assert.Single(book.ValidHolders()).Token);
    }

    [Fact]
    public void A_hand_off_whose_lease_is_shorter_than_the_claim_window_just_expires_with_its_lease()
    {
        var book = NewBook();
        var a = book.Acquire(Exclusive("a")).Holder!;
        var shortLease = new LeaseRequest(Guid.NewGuid(), "short", LeaseMode.Exclusive, TimeSpan.FromSeconds(1), 1, Wait: true);
        book.Acquire(shortLease);
        book.BeginWait(shortLease.RequestId);
        book.Release(a.Token);

        var handOff = Assert.Single(book.TakeHandOffs());
        Assert.Null(book.ClaimDeadline(handOff.Token));
        Assert.Equal(handOff.ExpiresAt, book.NextExpiry());
    }
}
