namespace OrleansSync.Silo.Hosting;

/// <summary>Where a silo keeps membership, grain state and reminders.</summary>
internal enum StorageProfile
{
    /// <summary>Embedded default: localhost clustering and in-memory providers; nothing survives a restart.</summary>
    Memory,

    /// <summary>ADO.NET clustering, grain storage and reminders on PostgreSQL through Npgsql.</summary>
    Postgres,
}
