using Microsoft.Extensions.Logging.Abstractions;
using OrleansSync.Replication;

namespace OrleansSync.Tests.Replication;

/// <summary>
/// When a copy's logged batches get folded (the database side is in <see cref="PostgresReplicaStoreTests"/>). The fold
/// here only counts; the delays are long enough that a test's consecutive calls all fall inside one.
/// </summary>
public sealed class ReplicaLogFoldingTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Batches_noted_within_the_delay_are_folded_by_one_fold_and_then_it_retires()
    {
        var probe = new FoldProbe();
        var folding = probe.Create(Delay);

        Assert.True(folding.NoteLogged());
        Assert.True(folding.NoteLogged());
        Assert.True(folding.NoteLogged());
        await probe.Retired.Task.WaitAsync(Deadline);

        Assert.Equal(1, probe.Folds);
        Assert.False(folding.NoteLogged());
        Assert.Equal(1, probe.Folds);
    }

    [Fact]
    public async Task A_batch_noted_while_a_fold_runs_gets_a_fold_after_it()
    {
        var probe = new FoldProbe { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var folding = probe.Create(TimeSpan.FromMilliseconds(1));

        Assert.True(folding.NoteLogged());
        await probe.Started.Task.WaitAsync(Deadline);
        Assert.True(folding.NoteLogged());
        probe.Gate.SetResult();
        await probe.Retired.Task.WaitAsync(Deadline);

        Assert.Equal(2, probe.Folds);
    }

    [Fact]
    public async Task Fold_now_folds_only_while_a_noted_batch_is_not_folded()
    {
        var probe = new FoldProbe();
        var folding = probe.Create(Timeout.InfiniteTimeSpan);

        await folding.FoldNowAsync(CancellationToken.None);
        Assert.Equal(0, probe.Folds);

        Assert.True(folding.NoteLogged());
        await folding.FoldNowAsync(CancellationToken.None);
        await folding.FoldNowAsync(CancellationToken.None);

        Assert.Equal(1, probe.Folds);
    }

    [Fact]
    public async Task A_failing_fold_is_retried_and_covers_nothing_until_one_succeeds()
    {
        var probe = new FoldProbe { FailFirst = 2 };
        var folding = probe.Create(TimeSpan.FromMilliseconds(1));

        Assert.True(folding.NoteLogged());
        await probe.Retired.Task.WaitAsync(Deadline);

        Assert.Equal(3, probe.Attempts);
        Assert.Equal(1, probe.Folds);
    }

    [Fact]
    public async Task A_reader_still_folds_while_background_folds_fail()
    {
        var probe = new FoldProbe { FailFirst = 1 };
        var folding = probe.Create(Timeout.InfiniteTimeSpan);
        Assert.True(folding.NoteLogged());

        await Assert.ThrowsAsync<InvalidOperationException>(() => folding.FoldNowAsync(CancellationToken.None));
        await folding.FoldNowAsync(CancellationToken.None);

        Assert.Equal(2, probe.Attempts);
        Assert.Equal(1, probe.Folds);
    }

    [Fact]
    public async Task Stopping_abandons_a_scheduled_fold_without_retiring()
    {
        using var stopping = new CancellationTokenSource();
        var probe = new FoldProbe();
        var folding = probe.Create(Timeout.InfiniteTimeSpan, stopping.Token);
        Assert.True(folding.NoteLogged());

        await stopping.CancelAsync();

        // The abandoned batch still counts as unfolded: a reader folds it.
        await folding.FoldNowAsync(CancellationToken.None);
        Assert.Equal(1, probe.Folds);
        Assert.False(probe.Retired.Task.IsCompleted);
    }

    private sealed class FoldProbe
    {
        private int _attempts;
        private int _folds;

        public TaskCompletionSource? Gate { get; init; }

        public int FailFirst { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Retired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Attempts => Volatile.Read(ref _attempts);

        public int Folds => Volatile.Read(ref _folds);

        public ReplicaLogFolding Create(TimeSpan delay, CancellationToken stopping = default) =>
            new(FoldAsync, _ => Retired.TrySetResult(), delay, NullLogger.Instance, "group", 0, stopping);

        private async Task FoldAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            if (Interlocked.Increment(ref _attempts) <= FailFirst)
            {
                throw new InvalidOperationException("fold failed");
            }

            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            Interlocked.Increment(ref _folds);
        }
    }
}
