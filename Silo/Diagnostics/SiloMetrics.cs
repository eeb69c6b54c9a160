using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OrleansSync.Diagnostics;

namespace OrleansSync.Silo.Diagnostics;

/// <summary>
/// Exports the silo's metrics: OrleansSync's own meters (<c>OrleansSync</c> and <c>OrleansSync.*</c>, e.g. the
/// replication write-path histograms), Orleans' (<c>Microsoft.Orleans</c>: messaging, grains,
/// membership) and ASP.NET Core's (HTTP request duration), in Prometheus text at <c>GET /metrics</c> (outside <c>/v1</c>, so API keys do not apply, as for the
/// health probes), and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class SiloMetrics
{
    /// <summary>The scraping path.</summary>
    public const string Path = "/metrics";

    private const string OrleansMeter = "Microsoft.Orleans";

    // ASP.NET Core's built-in meters: HTTP request duration and Kestrel connections of the /v1 API.
    private const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    public static void AddSiloMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("orleanssync-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrleansSyncMeter.Name, OrleansSyncMeter.Name + ".*", OrleansMeter, AspNetCoreHostingMeter, KestrelMeter).AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    public static IEndpointRouteBuilder MapSiloMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(Path);
        return endpoints;
    }
}
