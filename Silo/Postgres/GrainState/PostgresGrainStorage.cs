using System.Globalization;
using Orleans.Storage;

namespace OrleansSync.Silo.Postgres.GrainState;

/// <summary>
/// The PostgreSQL profile's grain storage: rows of <see cref="PostgresGrainStateStore"/>, written by group commit, with
/// the ETag checked per row. State written by the ADO.NET provider before migration 0010 is read through
/// <paramref name="legacy"/> until the grain's first write here.
/// </summary>
/// <remarks>
/// <para>
/// The ETag is the row version. A write or clear with the version the grain last saw either moves the row to the next
/// version or fails with <see cref="InconsistentStateException"/> (another activation wrote first); it completes only
/// after the commit that holds it. A grain that read nothing here (a new grain, or one whose state is still in the
/// ADO.NET table) writes by insert-if-absent, so two activations racing on that first write also conflict. A state read
/// from the ADO.NET table carries an ETag starting with <see cref="LegacyETagPrefix"/>.
/// </para>
/// <para>
/// A clear keeps the row, with no payload and a new version, so the ETag chain (and whatever fences on it) never starts
/// over; a clear by a grain that never saw a row also inserts such a row. Payloads are the Orleans binary
/// serialization of the state (<paramref name="serializer"/>), which tolerates added and removed <c>[Id]</c> members.
/// </para>
/// </remarks>
/// <param name="store">The table and its group commit, shared by the silo's storage providers.</param>
/// <param name="legacy">The ADO.NET provider (behind <see cref="UnambiguousGrainStorage"/>), read only.</param>
/// <param name="serializer">Serializes states into payloads.</param>
internal sealed class PostgresGrainStorage(PostgresGrainStateStore store, IGrainStorage legacy, IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>Prefix of an ETag that came from the ADO.NET provider's table.</summary>
    public const string LegacyETagPrefix = "adonet:";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var row = await store.ReadAsync(GrainStateKey.For(stateName, grainId)).ConfigureAwait(false);
        if (row is null)
        {
            // Not written since the upgrade (or never): whatever the ADO.NET provider holds is the state.
            await legacy.ReadStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
            grainState.ETag = grainState.ETag is null ? null : LegacyETagPrefix + grainState.ETag;
            return;
        }

        grainState.State = row.Payload is null ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(new BinaryData(row.Payload)) ?? Activator.CreateInstance<T>();
        grainState.ETag = ETag(row.Version);
        grainState.RecordExists = row.Payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedVersion(stateName, grainId, grainState.ETag);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await store.WriteAsync(GrainStateKey.For(stateName, grainId), payload, expected).ConfigureAwait(false)
            ?? throw Conflict("write", stateName, grainId, grainState.ETag);
        grainState.ETag = ETag(version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedVersion(stateName, grainId, grainState.ETag);
        var version = await store.WriteAsync(GrainStateKey.For(stateName, grainId), null, expected).ConfigureAwait(false)
            ?? throw Conflict("clear", stateName, grainId, grainState.ETag);
        grainState.ETag = ETag(version);
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The version a write must find, or null for insert-if-absent (nothing read from this table).</summary>
    private static long? ExpectedVersion(string stateName, GrainId grainId, string? etag)
    {
        if (etag is null || etag.StartsWith(LegacyETagPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw Conflict("write", stateName, grainId, etag);
    }

    private static InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): state '{stateName}' of grain {grainId} was written by someone else since ETag '{etag ?? "(none)"}'.");
}
