using OrleansSync.Naming;

namespace OrleansSync.Client.Queues;

/// <summary>How a push subscription consumes. Setters validate at once and throw <see cref="ArgumentException"/>.</summary>
public sealed class QueueSubscriptionOptions
{
    private string? _consumerId;
    private int _prefetch = 100;
    private TimeSpan _visibility = TimeSpan.FromSeconds(30);
    private int _concurrency = 1;
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// This consumer's id in the group (resource-name rule). Default: machine name plus a random suffix, new per
    /// subscription. A stable id lets a restarted process take its place without waiting for the old lease to expire.
    /// </summary>
    public string? ConsumerId
    {
        get => _consumerId;
        set => _consumerId = value is null ? null : ResourceName.Validate(value, nameof(ConsumerId));
    }

    /// <summary>Most messages received and not yet settled at once (the prefetch bound). Default 100; 1–10,000.</summary>
    public int Prefetch
    {
        get => _prefetch;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 10_000);
            _prefetch = value;
        }
    }

    /// <summary>How long a message stays invisible to other consumers after delivery; a handler that runs longer risks a redelivery. Default 30 s; 1 s–12 h.</summary>
    public TimeSpan Visibility
    {
        get => _visibility;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromHours(12));
            _visibility = value;
        }
    }

    /// <summary>Handlers running at once. Messages with the same key never run concurrently. Default 1; 1–1,024.</summary>
    public int Concurrency
    {
        get => _concurrency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _concurrency = value;
        }
    }

    /// <summary>How often the consumer renews its lease while busy; must stay well under the silo's consumer lease (30 s by default). Default 5 s; 100 ms–1 minute.</summary>
    public TimeSpan HeartbeatInterval
    {
        get => _heartbeatInterval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(100));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(1));
            _heartbeatInterval = value;
        }
    }

    /// <summary>The consumer id to use: <see cref="ConsumerId"/> or a new generated one.</summary>
    internal string ResolveConsumerId()
    {
        if (_consumerId is not null)
        {
            return _consumerId;
        }

        var machine = new string(Environment.MachineName.Select(c => ResourceName.IsValid(c.ToString()) ? c : '-').ToArray());
        var id = $"{machine}-{Guid.NewGuid():N}";
        return id.Length > ResourceName.MaxLength ? id[^ResourceName.MaxLength..] : id;
    }
}
