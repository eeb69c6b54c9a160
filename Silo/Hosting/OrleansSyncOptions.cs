using System.Net;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// The silo's settings, bound from the <c>OrleansSync</c> configuration section
/// (appsettings, <c>OrleansSync__X</c> environment variables or <c>--OrleansSync:X=</c>).
/// </summary>
internal sealed class OrleansSyncOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "OrleansSync";

    /// <summary>Storage profile. Default <see cref="StorageProfile.Memory"/>.</summary>
    public StorageProfile Storage { get; set; } = StorageProfile.Memory;

    /// <summary>Npgsql connection string; required when <see cref="Storage"/> is Postgres. Never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Orleans cluster id: silos with the same id form one cluster. Default <c>orleanssync</c>.</summary>
    public string ClusterId { get; set; } = "orleanssync";

    /// <summary>Orleans service id: keys grain state and reminders; keep it stable across deployments. Default <c>orleanssync</c>.</summary>
    public string ServiceId { get; set; } = "orleanssync";

    /// <summary>Silo-to-silo port. Default 11111; 1–65535.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000; 1–65535.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients use to reach this silo (Postgres profile).
    /// Default: loopback, which suits several silos on one machine.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Bearer keys accepted on <c>/v1</c>. Empty (the default) means no key is needed, which is only allowed on loopback.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Whether the silo applies pending PostgreSQL migrations on start. Default false.</summary>
    public bool Migrate { get; set; }

    /// <summary>
    /// The platform the silo runs on. Default <see cref="HostingMode.None"/>; <see cref="HostingMode.Kubernetes"/>
    /// turns on Orleans Kubernetes hosting and needs the Postgres profile and a pod's environment.
    /// </summary>
    public HostingMode Hosting { get; set; } = HostingMode.None;

    /// <summary>How long start-up waits for PostgreSQL to answer. Default 5 s.</summary>
    public TimeSpan DatabaseConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The advertised address as an <see cref="IPAddress"/>; loopback when unset.</summary>
    public IPAddress GetAdvertisedAddress() =>
        string.IsNullOrWhiteSpace(AdvertisedAddress) ? IPAddress.Loopback : IPAddress.Parse(AdvertisedAddress);
}
