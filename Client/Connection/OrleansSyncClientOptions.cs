namespace OrleansSync.Client;

/// <summary>
/// How an application's Orleans client finds and connects to the OrleansSync cluster.
/// Setters validate at once and throw <see cref="ArgumentException"/> for values out of range.
/// </summary>
public sealed class OrleansSyncClientOptions
{
    private string _clusterId = "orleanssync";
    private string _serviceId = "orleanssync";
    private int _connectAttempts = 8;
    private TimeSpan _initialConnectBackoff = TimeSpan.FromMilliseconds(250);
    private TimeSpan _maxConnectBackoff = TimeSpan.FromSeconds(5);

    /// <summary>Cluster id the silos run with. Default <c>orleanssync</c>; 1–150 characters.</summary>
    public string ClusterId
    {
        get => _clusterId;
        set => _clusterId = RequireId(value);
    }

    /// <summary>Service id the silos run with. Default <c>orleanssync</c>; 1–150 characters.</summary>
    public string ServiceId
    {
        get => _serviceId;
        set => _serviceId = RequireId(value);
    }

    /// <summary>
    /// Npgsql connection string of the cluster's PostgreSQL database. When set, the client reads the live
    /// gateway list from the membership table; when null (the default) it uses <see cref="Gateways"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Static gateway endpoints as <c>host:port</c>, used when <see cref="ConnectionString"/> is null.
    /// Default: the embedded silo's gateway, <c>127.0.0.1:30000</c>.
    /// </summary>
    public IList<string> Gateways { get; } = new List<string> { "127.0.0.1:30000" };

    /// <summary>
    /// How many times the first connection is tried before start-up fails with
    /// <see cref="OrleansSyncConnectionException"/>. Default 8; 1–100.
    /// </summary>
    public int ConnectAttempts
    {
        get => _connectAttempts;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
            _connectAttempts = value;
        }
    }

    /// <summary>Delay before the second connection attempt; it doubles per attempt up to <see cref="MaxConnectBackoff"/>. Default 250 ms.</summary>
    public TimeSpan InitialConnectBackoff
    {
        get => _initialConnectBackoff;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _initialConnectBackoff = value;
        }
    }

    /// <summary>Longest delay between connection attempts. Default 5 s; must be at least <see cref="InitialConnectBackoff"/>.</summary>
    public TimeSpan MaxConnectBackoff
    {
        get => _maxConnectBackoff;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, _initialConnectBackoff);
            _maxConnectBackoff = value;
        }
    }

    /// <summary>The delay before attempt number <paramref name="attempt"/> (2 = first retry).</summary>
    internal TimeSpan BackoffBefore(int attempt)
    {
        var factor = Math.Pow(2, Math.Max(0, attempt - 2));
        var delay = TimeSpan.FromTicks((long)Math.Min(_maxConnectBackoff.Ticks, _initialConnectBackoff.Ticks * factor));
        return delay;
    }

    private static string RequireId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, 150);
        return value;
    }
}
