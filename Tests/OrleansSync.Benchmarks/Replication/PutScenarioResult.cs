namespace OrleansSync.Benchmarks.Replication;

/// <summary>One backend's run: completed puts, elapsed seconds and latency percentiles.</summary>
internal sealed record PutScenarioResult(string Backend, long Puts, double Seconds, double P50Ms, double P99Ms, long Errors)
{
    public double PutsPerSecond => Puts / Seconds;
}
