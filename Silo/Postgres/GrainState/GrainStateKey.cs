namespace OrleansSync.Silo.Postgres.GrainState;

/// <summary>The identity of one grain state row: grain type and key as Orleans spells them, and the state name.</summary>
/// <param name="GrainType">The grain type (<see cref="GrainId.Type"/>).</param>
/// <param name="GrainKey">The grain key (<see cref="GrainId.Key"/>), never parsed.</param>
/// <param name="StateName">The state name the grain declared.</param>
internal readonly record struct GrainStateKey(string GrainType, string GrainKey, string StateName)
{
    /// <summary>The row of <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    public static GrainStateKey For(string stateName, GrainId grainId) =>
        new(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);
}
