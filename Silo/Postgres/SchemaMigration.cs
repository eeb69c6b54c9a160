using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansSync.Silo.Postgres;

/// <summary>One numbered SQL script of the OrleansSync PostgreSQL schema, embedded in the silo assembly.</summary>
/// <param name="Version">The script's number (<c>0001_x.sql</c> is version 1); scripts apply in this order.</param>
/// <param name="Name">The file name without extension, e.g. <c>0001_query_registry</c>; recorded when applied.</param>
/// <param name="Sql">The script text with line endings normalised to <c>\n</c>.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of <paramref name="Sql"/> as UTF-8.</param>
internal sealed record SchemaMigration(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>Creates a migration from a script, computing its checksum.</summary>
    /// <param name="version">The script's number.</param>
    /// <param name="name">The file name without extension.</param>
    /// <param name="sql">The script text as read from the resource.</param>
    /// <returns>The migration.</returns>
    public static SchemaMigration Create(int version, string name, string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sql);

        // A checkout that turns LF into CRLF must not look like an edited script.
        var normalized = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        return new SchemaMigration(version, name, normalized, checksum);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (sha256 {Checksum})");
}
