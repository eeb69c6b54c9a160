namespace OrleansSync.Naming;

/// <summary>
/// The one rule for names of locks, queues, groups, replica groups, keys and rings:
/// 1–256 characters of <c>[A-Za-z0-9._:/-]</c>.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="name"/> when valid.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="parameterName">The parameter or field reported in the exception.</param>
    /// <exception cref="ArgumentException">The name is null, empty, longer than <see cref="MaxLength"/> or has a character outside <c>[A-Za-z0-9._:/-]</c>.</exception>
    public static string Validate(string? name, string parameterName)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{parameterName} must not be empty.", parameterName);
        }

        if (name.Length > MaxLength)
        {
            throw new ArgumentException($"{parameterName} is {name.Length} characters; the limit is {MaxLength}.", parameterName);
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                throw new ArgumentException($"{parameterName} contains '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}'; allowed are letters, digits and . _ : / -", parameterName);
            }
        }

        return name;
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or ':' or '/' or '-';
}
