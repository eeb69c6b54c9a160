namespace OrleansSync.Benchmarks.Locks;

/// <summary>One row of the lock benchmark table.</summary>
internal sealed record LockScenarioResult(
    string Backend,
    string Scenario,
    long Cycles,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double? HandOffP50Ms,
    double? Fairness)
{
    public double PerSecond => Cycles / Seconds;
}
