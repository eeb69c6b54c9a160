using System.Net;

namespace OrleansSync.Client;

/// <summary>Parses <c>host:port</c> gateway strings, resolving host names once at start-up.</summary>
internal static class GatewayEndpoints
{
    public static IPEndPoint[] Parse(IEnumerable<string> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in gateways)
        {
            if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0)
            {
                endpoints.Add(endpoint);
                continue;
            }

            var colon = gateway?.LastIndexOf(':') ?? -1;
            if (colon <= 0 || !int.TryParse(gateway.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Gateway '{gateway}' is not 'host:port' with a port 1–65535.", nameof(gateways));
            }

            var addresses = Dns.GetHostAddresses(gateway![..colon]);
            if (addresses.Length == 0)
            {
                throw new ArgumentException($"Gateway host '{gateway[..colon]}' does not resolve.", nameof(gateways));
            }

            endpoints.Add(new IPEndPoint(addresses[0], port));
        }

        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one gateway is needed when no ConnectionString is set.", nameof(gateways));
        }

        return [.. endpoints];
    }
}
