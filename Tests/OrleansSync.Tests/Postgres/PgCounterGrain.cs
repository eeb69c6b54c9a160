namespace OrleansSync.Tests.Postgres;

/// <summary>Implements <see cref="IPgCounterGrain"/> with an <see cref="IPersistentState{TState}"/> on the PostgreSQL storage.</summary>
/// <param name="state">The persisted counter.</param>
public sealed class PgCounterGrain(
    [PersistentState(PgCounterGrain.StateName, ProviderNames.GrainStorage)] IPersistentState<PgCounterState> state)
    : Grain, IPgCounterGrain
{
    /// <summary>The state name, which the ADO.NET provider passes to SQL as GrainTypeString.</summary>
    public const string StateName = "pg-test-counter";

    /// <inheritdoc />
    public async Task<int> IncrementAsync()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    /// <inheritdoc />
    public Task<int> GetValueAsync() => Task.FromResult(state.State.Value);

    /// <inheritdoc />
    public Task<string?> GetETagAsync() => Task.FromResult<string?>(state.Etag);
}
