using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

/// <summary>
/// A release that hands the name to nobody is answered before it is written. These tests pin what keeps that safe and
/// live: it is written soon after (or when the grain deactivates), and if it is lost (a crash before the write) the
/// next activation grants a larger token once the released lease ends, never earlier and never a reused token.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LockReleaseWriteTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly LockService _locks = new(Leases(fixture));

    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);

    [Fact]
    public async Task A_release_reaches_storage_without_any_further_call()
    {
        var name = UniqueName("locks/release-write");
        var handle = await _locks.AcquireAsync(name, Deadline, Options("a", TimeSpan.FromMinutes(10)));
        Assert.Equal(handle.FencingToken, Assert.Single((await StoredAsync(name)).Holders).Token);

        await handle.ReleaseAsync();

        // Written by the grain's timer (LeaseGrainBase.ReleaseWriteDelay), with no client calling again.
        await Eventually.UntilAsync(async () => (await StoredAsync(name)).Holders.Count == 0, Deadline, "the release is written");
        Assert.Equal(handle.FencingToken, (await StoredAsync(name)).LastToken);
    }

    [Fact]
    public async Task A_released_lock_whose_grain_deactivates_is_free_at_once_in_the_next_activation()
    {
        var name = UniqueName("locks/release-deactivate");
        var handle = await _locks.AcquireAsync(name, Deadline, Options("a", TimeSpan.FromMinutes(10)));
        await handle.ReleaseAsync();

        await DeactivateAsync(name);

        // Without the write on deactivation the new activation would see a holder for ten more minutes.
        await using var next = await _locks.TryAcquireAsync(name, TimeSpan.Zero, Options("b"));
        Assert.NotNull(next);
        Assert.True(next.FencingToken > handle.FencingToken, $"token {next.FencingToken} after {handle.FencingToken}");
    }

    [Fact]
    public async Task A_release_lost_before_it_was_written_delays_the_next_grant_only_until_that_lease_ends_with_a_larger_token()
    {
        var name = UniqueName("locks/release-lost");
        var lease = TimeSpan.FromSeconds(5);
        var handle = await _locks.AcquireAsync(name, Deadline, Options("a", lease, autoRenew: false));
        var asGranted = await ReadAsync(name);
        var grantedUntil = Assert.Single(Assert.IsType<LeaseState>(asGranted.State).Holders).ExpiresAt;
        await handle.ReleaseAsync();

        // What a crash between the answer and the write leaves: storage as written with the grant. Writing it behind
        // the grain's back also makes the grain's own later write (timer or deactivation) fail on the ETag, as a dead
        // silo's would never happen.
        await Eventually.UntilAsync(
            async () =>
            {
                var crashed = await ReadAsync(name);
                crashed.State = asGranted.State;
                try
                {
                    await Storage.WriteStateAsync("lease", GrainId(name), crashed);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false; // the grain's timer wrote the release in between: read its ETag again
                }
            },
            Deadline,
            "storage is put back to the state written with the grant");
        await DeactivateAsync(name);

        var clock = Stopwatch.StartNew();
        await using var next = await _locks.AcquireAsync(name, Deadline + lease, Options("b"));

        Assert.True(DateTimeOffset.UtcNow >= grantedUntil, $"granted at {DateTimeOffset.UtcNow:O}, before the released lease ended at {grantedUntil:O}");
        Assert.True(clock.Elapsed < lease + Deadline, $"granted only after {clock.Elapsed}");
        Assert.True(next.FencingToken > handle.FencingToken, $"token {next.FencingToken} after {handle.FencingToken}");
    }

    [Fact]
    public async Task A_lost_token_fires_when_the_lease_runs_out_unrenewed_even_when_observed_before()
    {
        var name = UniqueName("locks/lost-later");
        var handle = await _locks.AcquireAsync(name, Deadline, Options("a", TimeSpan.FromSeconds(2), autoRenew: false));
        var lost = new TaskCompletionSource();
        using var registration = handle.HandleLostToken.Register(() => lost.TrySetResult());

        await lost.Task.WaitAsync(Deadline);

        Assert.True(handle.IsLost);
        Assert.True(handle.HandleLostToken.IsCancellationRequested);
        await handle.DisposeAsync();
    }

    private GrainId GrainId(string name) => fixture.Client.GetGrain<ILockGrain>(name).GetGrainId();

    private async Task<GrainState<LeaseState>> ReadAsync(string name)
    {
        var state = new GrainState<LeaseState>(new LeaseState());
        await Storage.ReadStateAsync("lease", GrainId(name), state);
        return state;
    }

    private async Task<LeaseState> StoredAsync(string name) => Assert.IsType<LeaseState>((await ReadAsync(name)).State);

    private async Task DeactivateAsync(string name)
    {
        var grain = fixture.Client.GetGrain<ILockGrain>(name);
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        // Counted in every silo's catalog: a silo's directory cache may still name the old activation for a while.
        await Eventually.UntilAsync(async () => await management.GetGrainActivationCount((GrainReference)grain) == 0, Deadline, "the lock grain is deactivated");
    }
}
