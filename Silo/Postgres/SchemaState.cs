namespace OrleansSync.Silo.Postgres;

/// <summary>What a database holds of the OrleansSync schema, as reported by <see cref="PostgresSchemaMigrator.GetStateAsync"/>.</summary>
/// <param name="AppliedVersion">The highest migration version recorded in the database; 0 when none is (schema missing).</param>
/// <param name="LatestVersion">The highest migration version this build embeds.</param>
/// <param name="PendingMigrations">Names of the embedded migrations the database has not applied yet, in order.</param>
/// <param name="ModifiedMigrations">Names of applied migrations whose recorded checksum differs from the embedded script.</param>
internal sealed record SchemaState(
    int AppliedVersion,
    int LatestVersion,
    IReadOnlyList<string> PendingMigrations,
    IReadOnlyList<string> ModifiedMigrations)
{
    /// <summary>Gets a value indicating whether any OrleansSync migration has been applied to the database.</summary>
    public bool IsPresent => AppliedVersion > 0;

    /// <summary>Gets a value indicating whether every embedded migration is applied, unchanged.</summary>
    public bool IsCurrent => PendingMigrations.Count == 0 && ModifiedMigrations.Count == 0;
}
