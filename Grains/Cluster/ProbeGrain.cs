namespace OrleansSync.Cluster;

/// <inheritdoc cref="IProbeGrain"/>
/// <remarks>Placed at random so that a handful of probe keys reaches every silo of a cluster.</remarks>
[Orleans.Placement.RandomPlacement]
internal sealed class ProbeGrain(
    [PersistentState("probe", ProviderNames.GrainStorage)] IPersistentState<ProbeState> state,
    IGrainRuntime runtime) : Grain, IProbeGrain
{
    private const int MaxValueLength = 4096;

    public Task<ProbeInfo> Describe() => Task.FromResult(Info());

    public async Task<ProbeInfo> Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxValueLength, nameof(value));
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
        return Info();
    }

    private ProbeInfo Info() => new(runtime.SiloAddress.ToString(), state.State.Value, state.State.Writes);
}
