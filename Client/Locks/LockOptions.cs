using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <summary>
/// Per-acquire options for locks, semaphores, reader-writer locks and elections.
/// Setters validate at once and throw <see cref="ArgumentException"/> for values out of range.
/// </summary>
public sealed class LockOptions
{
    private string _owner = DefaultOwner;
    private TimeSpan _lease = LeaseLimits.DefaultLease;
    private TimeSpan? _renewalInterval;

    /// <summary>The owner shown in status. Default <c>{machine}:{process id}</c>; 1–256 characters.</summary>
    public string Owner
    {
        get => _owner;
        set => _owner = LeaseLimits.ValidateOwner(value, nameof(Owner));
    }

    /// <summary>Lease length of each grant and renewal. Default 30 s; 100 ms–1 h.</summary>
    public TimeSpan Lease
    {
        get => _lease;
        set => _lease = LeaseLimits.ValidateLease(value, nameof(Lease));
    }

    /// <summary>
    /// How often the handle renews its lease in the background. Default null = a third of <see cref="Lease"/>;
    /// otherwise 10 ms–1 h (a value not below the lease loses the handle at the first expiry).
    /// </summary>
    public TimeSpan? RenewalInterval
    {
        get => _renewalInterval;
        set
        {
            if (value is { } v && (v < TimeSpan.FromMilliseconds(10) || v > LeaseLimits.MaxLease))
            {
                throw new ArgumentOutOfRangeException(nameof(RenewalInterval), v, "RenewalInterval must be between 10 ms and 1 h.");
            }

            _renewalInterval = value;
        }
    }

    /// <summary>Whether the handle renews its lease at all. Default true; when false the lease simply runs out.</summary>
    public bool AutoRenew { get; set; } = true;

    internal static string DefaultOwner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    internal TimeSpan EffectiveRenewalInterval => _renewalInterval ?? _lease / 3;
}
