using System.Net;
using System.Net.Sockets;

namespace OrleansSync.Tests.Infrastructure;

/// <summary>Finds loopback TCP ports nobody listens on, for silos and HTTP servers started by tests.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();

                // Never hand out the same port twice in one run, even after its first user has closed it.
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
