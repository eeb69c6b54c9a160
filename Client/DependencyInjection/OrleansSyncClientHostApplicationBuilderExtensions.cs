using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Client;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the OrleansSync client on a host application builder (ASP.NET Core, worker services).</summary>
public static class OrleansSyncClientHostApplicationBuilderExtensions
{
    /// <summary>The configuration section the client options bind from before <c>configure</c> runs.</summary>
    public const string ConfigurationSection = "OrleansSync";

    /// <summary>
    /// Adds the OrleansSync client, binding <c>ClusterId</c>, <c>ServiceId</c>, <c>ConnectionString</c> and
    /// <c>Gateways</c> from the <c>OrleansSync</c> configuration section, then applying <paramref name="configure"/>.
    /// </summary>
    /// <inheritdoc cref="OrleansSyncClientServiceCollectionExtensions.AddOrleansSyncClient"/>
    public static IHostApplicationBuilder AddOrleansSyncClient(this IHostApplicationBuilder builder, Action<OrleansSyncClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(ConfigurationSection);
        builder.Services.AddOrleansSyncClient(options =>
        {
            if (section["ClusterId"] is { Length: > 0 } clusterId)
            {
                options.ClusterId = clusterId;
            }

            if (section["ServiceId"] is { Length: > 0 } serviceId)
            {
                options.ServiceId = serviceId;
            }

            if (section["ConnectionString"] is { Length: > 0 } connectionString)
            {
                options.ConnectionString = connectionString;
            }

            var gateways = section.GetSection("Gateways").Get<string[]>();
            if (gateways is { Length: > 0 })
            {
                options.Gateways.Clear();
                foreach (var gateway in gateways)
                {
                    options.Gateways.Add(gateway);
                }
            }

            configure?.Invoke(options);
        });
        return builder;
    }
}
