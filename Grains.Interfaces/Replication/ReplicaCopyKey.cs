using System.Globalization;

namespace OrleansSync.Replication;

/// <summary>
/// The grain key of copy <c>i</c> (0-based) of group <c>g</c>: <c>"{g}#{i}"</c>. Group names follow the resource-name rule,
/// which excludes '#', so the key is unambiguous. The copy placement reads it to find the copy's silo.
/// </summary>
public static class ReplicaCopyKey
{
    private const char Separator = '#';

    /// <summary>The key of copy <paramref name="index"/> of <paramref name="group"/>.</summary>
    public static string Format(string group, int index) => string.Create(CultureInfo.InvariantCulture, $"{group}{Separator}{index}");

    /// <summary>Splits a copy key; false when it is not one.</summary>
    public static bool TryParse(string? key, out string group, out int index)
    {
        group = string.Empty;
        index = -1;
        var at = key?.LastIndexOf(Separator) ?? -1;
        if (at <= 0 || !int.TryParse(key.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            index = -1;
            return false;
        }

        group = key![..at];
        return true;
    }
}
