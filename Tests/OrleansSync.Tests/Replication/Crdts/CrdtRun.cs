using OrleansSync.Replication.Crdts;

namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>
/// Replays <see cref="CrdtStep"/>s on <see cref="Replicas"/> replicas that start empty, each with its own hybrid logical
/// clock, and records every state produced. States from one run share one history (tags and timestamps are unique),
/// which is the domain on which the merge laws are claimed.
/// </summary>
internal sealed class CrdtRun<T>
    where T : class, ICrdt<T>
{
    public const int Replicas = 3;

    public CrdtRun(T empty, Func<T, CrdtStep, HybridLogicalClock, T> update, IReadOnlyList<CrdtStep> steps)
    {
        var wallClocks = Enumerable.Range(0, Replicas).Select(_ => new SteppedClock()).ToArray();
        var clocks = Enumerable.Range(0, Replicas).Select(i => new HybridLogicalClock($"r{i}", wallClocks[i])).ToArray();
        var states = Enumerable.Repeat(empty, Replicas).ToArray();
        States.Add(empty);
        foreach (var step in steps)
        {
            wallClocks[step.Replica].Step(TimeSpan.FromMilliseconds(step.ClockStep));
            var before = states[step.Replica];
            var after = step.IsMerge ? before.Merge(states[step.Source]) : update(before, step, clocks[step.Replica]);
            states[step.Replica] = after;
            States.Add(after);
            if (!step.IsMerge)
            {
                Updates.Add(after);
                Inflations.Add((before, after));
            }
        }

        Finals = states;
    }

    /// <summary>Every state seen, the empty state first.</summary>
    public List<T> States { get; } = [];

    /// <summary>The state right after each update, in run order.</summary>
    public List<T> Updates { get; } = [];

    /// <summary>(before, after) of every update.</summary>
    public List<(T Before, T After)> Inflations { get; } = [];

    /// <summary>Each replica's last state.</summary>
    public IReadOnlyList<T> Finals { get; }

    public T Pick(int index) => States[index % States.Count];
}
