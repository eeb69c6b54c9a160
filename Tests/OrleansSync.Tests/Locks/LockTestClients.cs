using Microsoft.Extensions.Logging.Abstractions;
using OrleansSync.Client.Locks;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>The client lease services over the shared test cluster's client.</summary>
internal static class LockTestClients
{
    public static LeaseClient Leases(ClusterFixture fixture) => new(fixture.Client, TimeProvider.System, NullLoggerFactory.Instance);

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static LockOptions Options(string owner, TimeSpan? lease = null, bool autoRenew = true, TimeSpan? renewal = null)
    {
        var options = new LockOptions { Owner = owner, AutoRenew = autoRenew };
        if (lease is { } l)
        {
            options.Lease = l;
        }

        options.RenewalInterval = renewal;
        return options;
    }
}
