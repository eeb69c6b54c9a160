using System.Globalization;
using OrleansSync.Naming;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Grain keys of multi-primary copies: <c>{group}#{index}</c>. Group names never contain <c>#</c>
/// (<see cref="ResourceName"/>), so the key parses back unambiguously.
/// </summary>
public static class MultiPrimaryKeys
{
    /// <summary>The key of copy <paramref name="index"/> of <paramref name="group"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="group"/> breaks the <see cref="ResourceName"/> rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0–<see cref="MultiPrimaryLimits.MaxCopies"/>-1.</exception>
    public static string Copy(string group, int index)
    {
        ResourceName.Validate(group, nameof(group));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MultiPrimaryLimits.MaxCopies);
        return string.Create(CultureInfo.InvariantCulture, $"{group}#{index}");
    }

    /// <summary>Splits a copy key into group and index.</summary>
    /// <exception cref="ArgumentException">The key is not of the form <c>{group}#{index}</c>.</exception>
    public static (string Group, int Index) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = key.LastIndexOf('#');
        if (hash <= 0
            || !int.TryParse(key.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= MultiPrimaryLimits.MaxCopies
            || !ResourceName.IsValid(key[..hash]))
        {
            throw new ArgumentException($"'{key}' is not a multi-primary copy key ({{group}}#{{index}}).", nameof(key));
        }

        return (key[..hash], index);
    }
}
