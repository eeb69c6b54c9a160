using Orleans.Storage;

namespace OrleansSync.Silo.Postgres;

/// <summary>
/// Gives the ADO.NET grain storage an identity per grain that cannot collide.
/// </summary>
/// <remarks>
/// The ADO.NET provider keys a row by the state name (not the grain type) and folds a string key that
/// parses as a hexadecimal number or a GUID into numeric columns, so <c>"beef"</c>, <c>"BEEF"</c> and
/// <c>"0beef"</c> — or two grain types that share a state name — would read and overwrite one row. Lock,
/// queue and ring names are chosen by users, so this decorator hands the provider a state name prefixed by
/// the grain type and a key that can never parse as a number.
/// </remarks>
internal sealed class UnambiguousGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private const string KeyMarker = "k/";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(StateName(stateName, grainId), Key(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(StateName(stateName, grainId), Key(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(StateName(stateName, grainId), Key(grainId), grainState);

    /// <summary>The state name the provider sees: grain type and state name, which together are unique.</summary>
    internal static string StateName(string stateName, GrainId grainId) => $"{grainId.Type}/{stateName}";

    /// <summary>The grain id the provider sees: same type, key prefixed so it is always stored as a string.</summary>
    internal static GrainId Key(GrainId grainId) => GrainId.Create(grainId.Type, KeyMarker + grainId.Key);
}
