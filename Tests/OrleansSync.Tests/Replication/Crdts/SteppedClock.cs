namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>A wall clock the test sets by hand, forwards or backwards.</summary>
internal sealed class SteppedClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Step(TimeSpan by) => _now += by;
}
