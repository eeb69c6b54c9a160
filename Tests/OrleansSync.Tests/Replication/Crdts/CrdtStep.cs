namespace OrleansSync.Tests.Replication.Crdts;

/// <summary>
/// One step of a simulated run: replica <see cref="Replica"/> either merges the state of replica <see cref="Source"/>
/// (<see cref="Kind"/> below 3) or applies a type-specific update chosen by <see cref="Kind"/> and <see cref="Argument"/>.
/// <see cref="ClockStep"/> moves the replica's wall clock first (negative values move it backwards).
/// </summary>
public readonly record struct CrdtStep(int Replica, int Kind, int Argument, int Source, int ClockStep)
{
    public bool IsMerge => Kind < 3;
}
