using System.Net;

namespace OrleansSync.Silo.Hosting;

/// <summary>Checks <see cref="OrleansSyncOptions"/> before anything starts and names the key at fault.</summary>
internal static class OrleansSyncOptionsValidator
{
    public static void Validate(OrleansSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Storage))
        {
            throw new StartupFailure($"OrleansSync:Storage must be Memory or Postgres, not '{options.Storage}'.");
        }

        if (options.Storage == StorageProfile.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StartupFailure("OrleansSync:Storage is Postgres but OrleansSync:ConnectionString is empty: set OrleansSync__ConnectionString to an Npgsql connection string.");
        }

        ValidateHosting(options);
        RequireId(options.ClusterId, "ClusterId");
        RequireId(options.ServiceId, "ServiceId");
        RequirePort(options.SiloPort, "SiloPort");
        RequirePort(options.GatewayPort, "GatewayPort");
        if (options.SiloPort == options.GatewayPort)
        {
            throw new StartupFailure($"OrleansSync:SiloPort and OrleansSync:GatewayPort are both {options.SiloPort}: they must differ.");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && !IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            throw new StartupFailure($"OrleansSync:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }

        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            throw new StartupFailure("OrleansSync:ApiKeys contains an empty key.");
        }

        if (options.DatabaseConnectTimeout <= TimeSpan.Zero)
        {
            throw new StartupFailure("OrleansSync:DatabaseConnectTimeout must be positive.");
        }
    }

    private static void ValidateHosting(OrleansSyncOptions options)
    {
        if (!Enum.IsDefined(options.Hosting))
        {
            throw new StartupFailure($"OrleansSync:Hosting must be None or Kubernetes, not '{options.Hosting}'.");
        }

        if (options.Hosting != HostingMode.Kubernetes)
        {
            return;
        }

        if (options.Storage != StorageProfile.Postgres)
        {
            throw new StartupFailure("OrleansSync:Hosting is Kubernetes but OrleansSync:Storage is not Postgres: silos in pods keep membership and state in PostgreSQL.");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            throw new StartupFailure("OrleansSync:AdvertisedAddress must be unset when OrleansSync:Hosting is Kubernetes: the silo advertises its pod IP (POD_IP).");
        }
    }

    private static void RequireId(string value, string key)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 150)
        {
            throw new StartupFailure($"OrleansSync:{key} must be 1–150 characters.");
        }
    }

    private static void RequirePort(int value, string key)
    {
        if (value is < 1 or > 65535)
        {
            throw new StartupFailure($"OrleansSync:{key} must be a port number 1–65535, not {value}.");
        }
    }
}
