namespace OrleansSync.Locks;

/// <summary>Bounds shared by the grains, the .NET client and the HTTP API.</summary>
public static class LeaseLimits
{
    /// <summary>Shortest lease: 100 ms.</summary>
    public static readonly TimeSpan MinLease = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest lease: 1 hour.</summary>
    public static readonly TimeSpan MaxLease = TimeSpan.FromHours(1);

    /// <summary>Default lease: 30 s.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait one HTTP acquire may ask for: 5 minutes (the .NET client may wait longer).</summary>
    public static readonly TimeSpan MaxHttpWait = TimeSpan.FromMinutes(5);

    /// <summary>Longest time one <see cref="ILeaseGrain.WaitForGrant"/> call waits: 15 s, well under the 30 s Orleans call timeout.</summary>
    public static readonly TimeSpan MaxGrainWait = TimeSpan.FromSeconds(15);

    /// <summary>Longest owner string: 256 characters.</summary>
    public const int MaxOwnerLength = 256;

    /// <summary>Largest semaphore count: 10,000.</summary>
    public const int MaxSemaphoreLimit = 10_000;

    /// <summary>Throws when <paramref name="lease"/> is outside <see cref="MinLease"/>–<see cref="MaxLease"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public static TimeSpan ValidateLease(TimeSpan lease, string parameterName)
    {
        if (lease < MinLease || lease > MaxLease)
        {
            throw new ArgumentOutOfRangeException(parameterName, lease, $"{parameterName} must be between {MinLease.TotalMilliseconds:0} ms and {MaxLease.TotalMilliseconds:0} ms.");
        }

        return lease;
    }

    /// <summary>Throws when <paramref name="owner"/> is null, empty or longer than <see cref="MaxOwnerLength"/>.</summary>
    /// <exception cref="ArgumentException">Invalid owner.</exception>
    public static string ValidateOwner(string? owner, string parameterName)
    {
        if (string.IsNullOrEmpty(owner))
        {
            throw new ArgumentException($"{parameterName} must not be empty.", parameterName);
        }

        if (owner.Length > MaxOwnerLength)
        {
            throw new ArgumentException($"{parameterName} is {owner.Length} characters; the limit is {MaxOwnerLength}.", parameterName);
        }

        return owner;
    }

    /// <summary>Throws when <paramref name="limit"/> is outside 1–<see cref="MaxSemaphoreLimit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public static int ValidateSemaphoreLimit(int limit, string parameterName)
    {
        if (limit is < 1 or > MaxSemaphoreLimit)
        {
            throw new ArgumentOutOfRangeException(parameterName, limit, $"{parameterName} must be between 1 and {MaxSemaphoreLimit}.");
        }

        return limit;
    }
}
