using System.Diagnostics;
using Orleans.Runtime;
using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

[Collection(ClusterCollection.Name)]
public sealed class LockServiceClusterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LeaseGrainGrace = LeaseGrainBase.WaiterGrace;
    private readonly LeaseClient _leases = Leases(fixture);

    private LockService Locks => new(_leases);

    private ILockGrain Grain(string name) => fixture.Client.GetGrain<ILockGrain>(name);

    [Fact]
    public async Task Acquire_release_acquire_gives_strictly_increasing_tokens()
    {
        var name = UniqueName("locks/seq");
        var first = await Locks.AcquireAsync(name, Deadline);
        Assert.Equal(1, first.FencingToken);
        await first.DisposeAsync();

        await using var second = await Locks.AcquireAsync(name, Deadline);
        Assert.Equal(2, second.FencingToken);
        var status = await Locks.GetStatusAsync(name);
        Assert.True(status.Held);
        Assert.Equal(2, status.LastToken);
        Assert.Equal(second.FencingToken, status.Holders[0].Token);
    }

    [Fact]
    public async Task TryAcquire_with_zero_timeout_on_a_held_lock_returns_null_without_queueing()
    {
        var name = UniqueName("locks/try");
        await using var held = await Locks.AcquireAsync(name, Deadline);

        Assert.Null(await Locks.TryAcquireAsync(name));
        Assert.Null(await Locks.TryAcquireAsync(name, TimeSpan.Zero));
        Assert.Equal(0, (await Locks.GetStatusAsync(name)).Waiters);
    }

    [Fact]
    public async Task A_waiter_is_pushed_the_lock_when_the_holder_releases()
    {
        var name = UniqueName("locks/push");
        var holder = await Locks.AcquireAsync(name, Deadline);
        var waiting = Locks.AcquireAsync(name, Deadline, Options("waiter"));
        await Eventually.UntilAsync(async () => (await Locks.GetStatusAsync(name)).Waiters == 1, Deadline, "the waiter is queued");

        var released = Stopwatch.StartNew();
        await holder.DisposeAsync();
        await using var next = await waiting;

        Assert.Equal(holder.FencingToken + 1, next.FencingToken);
        Assert.Equal("waiter", next.Owner);
        // A waiter that was not pushed would learn of the release only when its 15 s wait call ends and it
        // re-registers; well below that is the push, even on a loaded machine.
        Assert.True(released.Elapsed < TimeSpan.FromSeconds(8), $"hand-off took {released.Elapsed}");
    }

    [Fact]
    public async Task Waits_longer_than_one_grain_call_loop_transparently()
    {
        _leases.MaxWaitPerCall = TimeSpan.FromMilliseconds(100);
        var name = UniqueName("locks/loop");
        var holder = await Locks.AcquireAsync(name, Deadline);
        var waiting = Locks.AcquireAsync(name, Deadline, Options("patient"));
        await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, (await Locks.GetStatusAsync(name)).Waiters);

        await holder.DisposeAsync();
        await using var next = await waiting;
        Assert.Equal("patient", next.Owner);
    }

    [Fact]
    public async Task An_expired_lease_is_handed_to_the_waiter_without_any_client_action()
    {
        var name = UniqueName("locks/expiry");
        var lease = TimeSpan.FromMilliseconds(700);
        // Started before the first grant is asked for, so the grant (and its lease) begins after this point even when
        // the answer is slow to arrive on a loaded machine.
        var clock = Stopwatch.StartNew();
        var silent = await Locks.AcquireAsync(name, Deadline, Options("silent", lease, autoRenew: false));

        await using var next = await Locks.AcquireAsync(name, Deadline, Options("next"));

        Assert.True(clock.Elapsed >= lease - TimeSpan.FromMilliseconds(100), $"granted after {clock.Elapsed}, before the lease ran out");
        // Without the grain's expiry timer the waiter would be served only when its pending wait call ends
        // and it re-registers (15 s). Anything well below that is the timer's push, even on a loaded machine.
        Assert.True(clock.Elapsed < lease + TimeSpan.FromSeconds(8), $"granted only after {clock.Elapsed}");
        Assert.Equal(silent.FencingToken + 1, next.FencingToken);
        Assert.True(silent.HandleLostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Background_renewal_keeps_a_short_lease_alive()
    {
        var name = UniqueName("locks/renew");
        var lease = TimeSpan.FromSeconds(2);
        await using var handle = await Locks.AcquireAsync(name, Deadline, Options("renewer", lease));
        var firstExpiry = handle.LeaseExpiresAt;

        // Let a whole lease pass after the first one ended: only renewals can have kept it. The lease leaves the
        // renewals (every third of it) more than a second of slack each, so a loaded machine does not lose it.
        var outlived = firstExpiry + lease - DateTimeOffset.UtcNow;
        await Task.Delay(outlived > TimeSpan.Zero ? outlived : TimeSpan.Zero);

        Assert.False(handle.IsLost);
        Assert.True(handle.LeaseExpiresAt > firstExpiry);
        Assert.Null(await Locks.TryAcquireAsync(name));
        Assert.Equal(handle.FencingToken, (await Locks.GetStatusAsync(name)).Holders[0].Token);
    }

    [Fact]
    public async Task HandleLostToken_fires_when_a_renewal_is_refused()
    {
        var name = UniqueName("locks/lost");
        await using var handle = await Locks.AcquireAsync(name, Deadline, Options("victim", TimeSpan.FromSeconds(30), renewal: TimeSpan.FromMilliseconds(100)));
        var lost = new TaskCompletionSource();
        using var registration = handle.HandleLostToken.Register(() => lost.TrySetResult());

        // Someone with the token (an operator, a stale copy) releases it behind the handle's back.
        Assert.True(await Grain(name).Release(handle.FencingToken));

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(handle.IsLost);
    }

    [Fact]
    public async Task Cancelling_a_waiter_removes_it_from_the_queue()
    {
        var name = UniqueName("locks/cancel");
        var holder = await Locks.AcquireAsync(name, Deadline);
        using var cts = new CancellationTokenSource();
        var waiting = Locks.AcquireAsync(name, Deadline, Options("quitter"), cts.Token);
        await Eventually.UntilAsync(async () => (await Locks.GetStatusAsync(name)).Waiters == 1, Deadline, "the waiter is queued");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, (await Locks.GetStatusAsync(name)).Waiters);
        await holder.DisposeAsync();
        await using var after = await Locks.TryAcquireAsync(name);
        Assert.NotNull(after);
        Assert.Equal(holder.FencingToken + 1, after.FencingToken);
    }

    [Fact]
    public async Task A_timed_out_acquire_throws_TimeoutException_and_leaves_no_waiter()
    {
        var name = UniqueName("locks/timeout");
        await using var holder = await Locks.AcquireAsync(name, Deadline);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => Locks.AcquireAsync(name, TimeSpan.FromMilliseconds(300)));
        Assert.Null(await Locks.TryAcquireAsync(name, TimeSpan.FromMilliseconds(200)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
        Assert.Equal(0, (await Locks.GetStatusAsync(name)).Waiters);
    }

    [Fact]
    public async Task Renew_and_release_with_a_stale_token_are_errors_not_silent_successes()
    {
        var name = UniqueName("locks/stale");
        var old = await Locks.AcquireAsync(name, Deadline, Options("old", TimeSpan.FromMilliseconds(300), autoRenew: false));
        await using var current = await Locks.AcquireAsync(name, Deadline, Options("current"));

        await Assert.ThrowsAsync<LockTokenMismatchException>(() => old.RenewAsync());
        await Assert.ThrowsAsync<LockTokenMismatchException>(() => old.ReleaseAsync());
        Assert.Null(await Grain(name).Renew(old.FencingToken, TimeSpan.FromSeconds(1)));
        Assert.False(await Grain(name).Release(old.FencingToken));
        Assert.Equal(current.FencingToken, (await Locks.GetStatusAsync(name)).Holders[0].Token);
    }

    [Fact]
    public async Task A_retried_acquire_with_the_same_request_id_returns_the_same_grant()
    {
        var name = UniqueName("locks/idem");
        var request = new LeaseRequest(Guid.NewGuid(), "retrier", LeaseMode.Exclusive, TimeSpan.FromSeconds(5), 1, Wait: true);

        var first = await Grain(name).Acquire(request);
        var retried = await Grain(name).Acquire(request);

        Assert.Equal(LeaseAcquireStatus.Granted, retried.Status);
        Assert.Equal(first.Grant!.Token, retried.Grant!.Token);
        Assert.Equal(1, (await Grain(name).Describe()).LastToken);

        var queued = request with { RequestId = Guid.NewGuid(), Owner = "second" };
        Assert.Equal(LeaseAcquireStatus.Queued, (await Grain(name).Acquire(queued)).Status);
        Assert.Equal(LeaseAcquireStatus.Queued, (await Grain(name).Acquire(queued)).Status);
        Assert.Equal(1, (await Grain(name).Describe()).Waiters);
        Assert.True(await Grain(name).Cancel(queued.RequestId));
    }

    [Fact]
    public async Task Tokens_keep_increasing_after_the_grain_is_deactivated()
    {
        var name = UniqueName("locks/deactivate");
        var before = await Locks.AcquireAsync(name, Deadline);
        await before.DisposeAsync();

        // Ask the activation itself to go away (collection by age can be held off by other tests' load), and count it in
        // every silo's catalog: a silo's directory cache may name the old activation for a while after it is gone.
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        await Grain(name).Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.UntilAsync(
            async () => await management.GetGrainActivationCount((GrainReference)Grain(name)) == 0,
            Deadline,
            "the lock grain is deactivated");

        await using var after = await Locks.AcquireAsync(name, Deadline);
        Assert.True(after.FencingToken > before.FencingToken);
    }

    [Fact]
    public async Task A_waiter_whose_client_is_gone_is_dropped_instead_of_being_granted()
    {
        var name = UniqueName("locks/ghost");
        var holder = await Locks.AcquireAsync(name, Deadline);

        // A waiter that registers and then never waits (its client died) ...
        var ghost = new LeaseRequest(Guid.NewGuid(), "ghost", LeaseMode.Exclusive, TimeSpan.FromMinutes(10), 1, Wait: true);
        Assert.Equal(LeaseAcquireStatus.Queued, (await Grain(name).Acquire(ghost)).Status);
        var live = Locks.AcquireAsync(name, Deadline + Deadline, Options("live"));
        await Eventually.UntilAsync(async () => (await Locks.GetStatusAsync(name)).Waiters == 2, Deadline, "both wait");

        // ... ages past the grace period while the live waiter keeps a wait pending.
        await Task.Delay(LeaseGrainGrace + TimeSpan.FromMilliseconds(500));
        await holder.DisposeAsync();

        await using var next = await live.WaitAsync(Deadline);
        Assert.Equal("live", next.Owner);
        Assert.Equal(holder.FencingToken + 1, next.FencingToken);
        Assert.Equal(LeaseAcquireStatus.Unknown, (await Grain(name).WaitForGrant(ghost.RequestId, TimeSpan.Zero)).Status);
    }

    [Fact]
    public async Task A_waiter_that_dies_inside_a_pending_wait_does_not_hold_the_lock_for_its_lease()
    {
        var name = UniqueName("locks/died-waiting");
        var holder = await Locks.AcquireAsync(name, Deadline);

        // A waiter with a 10-minute lease whose wait call is pending when its process dies: the grant is answered into
        // the void, so nobody claims it.
        var dead = new LeaseRequest(Guid.NewGuid(), "dead", LeaseMode.Exclusive, TimeSpan.FromMinutes(10), 1, Wait: true);
        Assert.Equal(LeaseAcquireStatus.Queued, (await Grain(name).Acquire(dead)).Status);
        var lostAnswer = Grain(name).WaitForGrant(dead.RequestId, TimeSpan.FromSeconds(20));
        var live = Locks.AcquireAsync(name, TimeSpan.FromMinutes(1), Options("live"));
        await Eventually.UntilAsync(async () => (await Locks.GetStatusAsync(name)).Waiters == 2, Deadline, "both wait");

        await holder.DisposeAsync();
        var handedOff = await lostAnswer.WaitAsync(Deadline);
        Assert.Equal(LeaseAcquireStatus.Granted, handedOff.Status);
        Assert.NotNull(handedOff.Grant!.ClaimBy);

        // The live waiter gets the lock once the claim window passes, long before the dead waiter's lease would end.
        await using var next = await live.WaitAsync(LeaseGrainBase.ClaimWindow + Deadline);
        Assert.Equal("live", next.Owner);
        Assert.Equal(handedOff.Grant.Token + 1, next.FencingToken);
        Assert.False(await Grain(name).Claim(handedOff.Grant.Token));
        Assert.Null(await Grain(name).Renew(handedOff.Grant.Token, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_waiter_handed_the_lock_claims_it_and_keeps_it_past_the_claim_window()
    {
        var name = UniqueName("locks/claimed");
        var holder = await Locks.AcquireAsync(name, Deadline);
        var waiting = Locks.AcquireAsync(name, Deadline, Options("waiter", lease: TimeSpan.FromMinutes(5), autoRenew: false));
        await Eventually.UntilAsync(async () => (await Locks.GetStatusAsync(name)).Waiters == 1, Deadline, "the waiter is queued");

        await holder.DisposeAsync();
        await using var next = await waiting;

        // Without the claim the grant would end at the claim window; an observer still sees the same holder after it.
        var third = Locks.AcquireAsync(name, LeaseGrainBase.ClaimWindow + TimeSpan.FromSeconds(2), Options("third"));
        await Assert.ThrowsAsync<TimeoutException>(() => third);
        var status = await Locks.GetStatusAsync(name);
        Assert.Equal(next.FencingToken, Assert.Single(status.Holders).Token);
        Assert.False(next.HandleLostToken.IsCancellationRequested);
    }

    [Fact]
    public void A_wait_call_never_outlasts_half_the_client_response_timeout()
    {
        var shortTimeout = Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClientMessagingOptions { ResponseTimeout = TimeSpan.FromSeconds(4) });
        var longTimeout = Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClientMessagingOptions { ResponseTimeout = TimeSpan.FromMinutes(2) });

        Assert.Equal(TimeSpan.FromSeconds(2), new LeaseClient(fixture.Client, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, shortTimeout).MaxWaitPerCall);
        Assert.Equal(LeaseLimits.MaxGrainWait, new LeaseClient(fixture.Client, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, longTimeout).MaxWaitPerCall);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("caf\u00e9")]
    public async Task Invalid_names_are_ArgumentExceptions(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Locks.TryAcquireAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Locks.AcquireAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Locks.GetStatusAsync(name));
    }

    [Fact]
    public async Task Bad_timeouts_options_and_grain_requests_are_ArgumentExceptions()
    {
        var name = UniqueName("locks/bad");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Locks.TryAcquireAsync(name, TimeSpan.FromSeconds(-2)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Locks.AcquireAsync(new string('a', 257)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LockOptions { Lease = TimeSpan.FromMilliseconds(99) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LockOptions { Lease = TimeSpan.FromHours(2) });
        Assert.Throws<ArgumentException>(() => new LockOptions { Owner = "" });
        Assert.Throws<ArgumentException>(() => new LockOptions { Owner = new string('o', 257) });

        // The grain validates on its own too (for callers that bypass the client).
        var bad = new LeaseRequest(Guid.NewGuid(), "", LeaseMode.Exclusive, TimeSpan.FromSeconds(1), 1, false);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(name).Acquire(bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(name).Acquire(bad with { Owner = "o", Lease = TimeSpan.FromMilliseconds(5) }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(name).Acquire(bad with { Owner = "o", RequestId = Guid.Empty }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(name).Acquire(bad with { Owner = "o", Mode = LeaseMode.Shared }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Client.GetGrain<ILockGrain>("bad name").Acquire(bad with { Owner = "o" }));
        Assert.Equal(0, (await Grain(name).Describe()).LastToken);
    }
}
