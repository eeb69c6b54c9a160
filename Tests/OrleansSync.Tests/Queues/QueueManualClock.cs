namespace OrleansSync.Tests.Queues;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class QueueManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
