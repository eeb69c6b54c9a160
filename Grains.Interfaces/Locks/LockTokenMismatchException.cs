namespace OrleansSync.Locks;

/// <summary>
/// A renew or release named a fencing token that no longer holds the lease (it expired, was released, or was
/// handed to the next waiter). Over HTTP this is a 409.
/// </summary>
public sealed class LockTokenMismatchException : Exception
{
    /// <summary>Creates the exception for <paramref name="name"/> and <paramref name="token"/>.</summary>
    public LockTokenMismatchException(string name, long token)
        : base($"Token {token} no longer holds '{name}' (expired, released or handed over).")
    {
        Name = name;
        Token = token;
    }

    /// <summary>Creates the exception with a message.</summary>
    public LockTokenMismatchException(string message)
        : base(message)
    {
        Name = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LockTokenMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public LockTokenMismatchException()
        : base("The token no longer holds the lease.")
    {
        Name = string.Empty;
    }

    /// <summary>The lease name.</summary>
    public string Name { get; }

    /// <summary>The stale token.</summary>
    public long Token { get; }
}
