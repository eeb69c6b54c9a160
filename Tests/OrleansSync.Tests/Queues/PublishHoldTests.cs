using Microsoft.Extensions.Time.Testing;
using OrleansSync.Queues;

namespace OrleansSync.Tests.Queues;

/// <summary>
/// <see cref="PublishHold"/> on a fake clock. Each test runs off xUnit's synchronization context, so a fired timer
/// resumes the hold inside <see cref="FakeTimeProvider.Advance"/> as it would on its grain's scheduler.
/// </summary>
public sealed class PublishHoldTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public Task A_publish_is_answered_at_once_while_the_consumers_are_within_bound() => Task.Run(async () =>
    {
        var looks = 0;
        var hold = new PublishHold(() => { looks++; return Task.FromResult(true); }, new FakeTimeProvider());

        var held = hold.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(held.IsCompletedSuccessfully);
        Assert.Equal(TimeSpan.Zero, await held);
        Assert.Equal(1, looks);
    });

    [Fact]
    public Task A_good_look_older_than_its_trust_period_is_not_taken_on_faith() => Task.Run(async () =>
    {
        var clock = new FakeTimeProvider();
        var second = new TaskCompletionSource<bool>();
        var looks = 0;
        var hold = new PublishHold(() => ++looks == 1 ? Task.FromResult(true) : second.Task, clock);
        Assert.Equal(TimeSpan.Zero, await hold.WaitAsync(TimeSpan.FromSeconds(5)));

        clock.Advance(PublishHold.TrustGoodLookFor);
        var held = hold.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, looks);
        Assert.False(held.IsCompleted);

        second.SetResult(false);
        Assert.False(held.IsCompleted);
    });

    [Fact]
    public Task A_publish_is_held_until_a_look_finds_the_consumers_caught_up() => Task.Run(async () =>
    {
        var clock = new FakeTimeProvider();
        var answers = new Queue<bool>([false, false, true]);
        var hold = new PublishHold(() => Task.FromResult(answers.Dequeue()), clock);

        var held = hold.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(held.IsCompleted);

        clock.Advance(PublishHold.LookEvery);
        Assert.False(held.IsCompleted);
        Assert.Single(answers);

        clock.Advance(PublishHold.LookEvery);
        Assert.Equal(2 * PublishHold.LookEvery, await held.WaitAsync(Deadline));
        Assert.Empty(answers);
    });

    [Fact]
    public Task A_publish_is_answered_after_the_longest_hold_even_if_the_consumers_never_catch_up() => Task.Run(async () =>
    {
        var clock = new FakeTimeProvider();
        var hold = new PublishHold(() => Task.FromResult(false), clock);
        var longest = TimeSpan.FromMilliseconds(12);

        var held = hold.WaitAsync(longest);
        clock.Advance(PublishHold.LookEvery);
        clock.Advance(PublishHold.LookEvery);
        Assert.False(held.IsCompleted);

        clock.Advance(longest - 2 * PublishHold.LookEvery);
        Assert.Equal(longest, await held.WaitAsync(Deadline));
    });

    [Fact]
    public Task One_look_serves_every_publish_that_waits_while_it_is_under_way() => Task.Run(async () =>
    {
        var clock = new FakeTimeProvider();
        var second = new TaskCompletionSource<bool>();
        var looks = 0;
        var hold = new PublishHold(() => ++looks == 1 ? Task.FromResult(false) : second.Task, clock);

        var first = hold.WaitAsync(TimeSpan.FromSeconds(5));
        clock.Advance(PublishHold.LookEvery);
        var later = Enumerable.Range(0, 3).Select(_ => hold.WaitAsync(TimeSpan.FromSeconds(5))).ToList();

        Assert.Equal(2, looks);
        Assert.False(first.IsCompleted);
        Assert.All(later, w => Assert.False(w.IsCompleted));

        second.SetResult(true);
        Assert.Equal(PublishHold.LookEvery, await first.WaitAsync(Deadline));
        Assert.All(await Task.WhenAll(later).WaitAsync(Deadline), held => Assert.Equal(TimeSpan.Zero, held));
        Assert.Equal(2, looks);
    });
}
