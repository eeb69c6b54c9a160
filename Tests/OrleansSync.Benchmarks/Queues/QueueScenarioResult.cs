namespace OrleansSync.Benchmarks.Queues;

/// <summary>One backend × scenario row of the queue benchmark.</summary>
internal sealed record QueueScenarioResult(
    string Backend,
    string Scenario,
    long Published,
    long Consumed,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double PublishP50Ms,
    double PublishP99Ms)
{
    /// <summary>End-to-end rate: messages consumed per second, from the first publish to the last consume.</summary>
    public double PerSecond => Consumed / Seconds;
}
