using System.Diagnostics;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>
/// The facts every exclusive-lock API of OrleansSync must pass (the DistributedLock library's own contract:
/// TryAcquire returns null on timeout, Acquire throws <see cref="TimeoutException"/>, cancellation throws
/// <see cref="OperationCanceledException"/>). Each API is a small subclass.
/// </summary>
public abstract class LockConformanceTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);

    /// <summary>Null timeout = the API's default (try once).</summary>
    protected abstract Task<ConformanceHandle?> TryAcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Null timeout = wait for ever.</summary>
    protected abstract Task<ConformanceHandle> AcquireAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    protected abstract string Prefix { get; }

    private string NewName() => $"{Prefix}/{Guid.NewGuid():N}";

    [Fact]
    public async Task A_held_lock_is_not_granted_again_until_released()
    {
        var name = NewName();
        var held = await TryAcquireAsync(name);
        Assert.NotNull(held);
        Assert.Null(await TryAcquireAsync(name));
        Assert.Null(await TryAcquireAsync(name, TimeSpan.Zero));

        await held.DisposeAsync();
        await using var again = await TryAcquireAsync(name);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Different_names_do_not_block_each_other()
    {
        await using var a = await AcquireAsync(NewName(), Long);
        await using var b = await TryAcquireAsync(NewName());
        Assert.NotNull(b);
    }

    [Fact]
    public async Task TryAcquire_returns_null_and_Acquire_throws_TimeoutException_after_the_timeout()
    {
        var name = NewName();
        await using var held = await AcquireAsync(name, Long);
        var clock = Stopwatch.StartNew();

        Assert.Null(await TryAcquireAsync(name, TimeSpan.FromMilliseconds(250)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(230), $"returned after {clock.Elapsed}");
        await Assert.ThrowsAsync<TimeoutException>(() => AcquireAsync(name, TimeSpan.FromMilliseconds(250)));

        // The holder keeps the lock for the whole test, so only the timeouts can have ended both calls; how fast
        // they return on a loaded machine is for the benchmarks, but they must not wait as long as a real wait.
        Assert.True(clock.Elapsed < Long, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_when_it_is_released()
    {
        var name = NewName();
        var held = await AcquireAsync(name, Long);
        var waiting = AcquireAsync(name, Long);
        await Task.WhenAny(waiting, Task.Delay(200));
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(Long);
        Assert.False(next.HandleLostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Cancellation_throws_and_leaves_nothing_that_blocks_later_acquires()
    {
        var name = NewName();
        var held = await AcquireAsync(name, Long);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AcquireAsync(name, Long, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TryAcquireAsync(name, Long, new CancellationToken(canceled: true)));

        await held.DisposeAsync();
        await using var after = await TryAcquireAsync(name);
        Assert.NotNull(after);
    }

    [Fact]
    public async Task Concurrent_users_never_overlap()
    {
        var name = NewName();
        var inside = 0;
        var overlaps = 0;
        var entries = 0;

        async Task Worker()
        {
            for (var i = 0; i < 8; i++)
            {
                await using var handle = await AcquireAsync(name, Long);
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                entries++;
                await Task.Delay(1);
                Interlocked.Decrement(ref inside);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)));

        Assert.Equal(0, overlaps);
        Assert.Equal(64, entries);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless_and_the_lost_token_stays_quiet_while_held()
    {
        var name = NewName();
        var handle = await AcquireAsync(name, Long);
        Assert.False(handle.HandleLostToken.IsCancellationRequested);
        Assert.True(handle.HandleLostToken.CanBeCanceled);

        await handle.DisposeAsync();
        await handle.DisposeAsync();

        await Eventually.UntilAsync(async () =>
        {
            var next = await TryAcquireAsync(name);
            if (next is null)
            {
                return false;
            }

            await next.DisposeAsync();
            return true;
        }, Long, "the lock is free after dispose");
    }
}
