namespace OrleansSync.Replication.MultiPrimary;

/// <summary>
/// Fewer copies than required answered a write or a read in time (they are down or unreachable). A write that fails
/// this way was still applied by the copies that answered and spreads by anti-entropy: it is not acknowledged, but it
/// may become visible. Over HTTP this is a 503.
/// </summary>
public sealed class InsufficientCopiesException : Exception
{
    /// <summary>Creates the exception for a shortfall of <paramref name="reached"/> out of <paramref name="required"/> copies.</summary>
    public InsufficientCopiesException(string group, int required, int reached)
        : base($"Group '{group}': {reached} of the {required} required copies answered.")
    {
        Group = group;
        Required = required;
        Reached = reached;
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsufficientCopiesException(string message)
        : base(message)
    {
        Group = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InsufficientCopiesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Group = string.Empty;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InsufficientCopiesException()
        : base("Too few copies answered.")
    {
        Group = string.Empty;
    }

    /// <summary>The replica group.</summary>
    public string Group { get; }

    /// <summary>Copies required.</summary>
    public int Required { get; }

    /// <summary>Copies that answered.</summary>
    public int Reached { get; }
}
