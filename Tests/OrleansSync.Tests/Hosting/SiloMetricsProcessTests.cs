using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hosting;

/// <summary>The real Silo executable serves OrleansSync's and Orleans' metrics in Prometheus text at /metrics.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class SiloMetricsProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_route_counts_lock_grants_and_carries_orleans_metrics()
    {
        await using var silo = SiloProcess.Start(settings: new Dictionary<string, string> { ["ApiKeys:0"] = "metrics-test-key" });
        await silo.WaitHealthyAsync(Deadline);
        using var acquire = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/locks/metrics-test/acquire", UriKind.Relative))
        {
            Content = JsonContent.Create(new { owner = "m", leaseMs = 60_000 }),
        };
        acquire.Headers.Authorization = new("Bearer", "metrics-test-key");
        using var granted = await silo.Http.SendAsync(acquire);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);

        // Scrapes need no API key, like the health probes; the exporter may answer a cached scrape for a moment.
        string text = "";
        await Eventually.UntilAsync(
            async () =>
            {
                using var scrape = await silo.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
                text = await scrape.Content.ReadAsStringAsync();
                return LockGrants().Match(text) is { Success: true } m && m.Groups["value"].Value == "1";
            },
            Deadline,
            "one immediate lock grant is counted");

        Assert.Matches(OrleansMetric(), text);
        Assert.DoesNotMatch(HandOffGrants(), text);
    }

    [GeneratedRegex("""^orleanssync_lock_grants_total\{[^}]*handoff="false"[^}]*kind="lock"[^}]*\} (?<value>\d+)""", RegexOptions.Multiline)]
    private static partial Regex LockGrants();

    [GeneratedRegex("""^orleanssync_lock_grants_total\{[^}]*handoff="true"[^}]*\} [1-9]""", RegexOptions.Multiline)]
    private static partial Regex HandOffGrants();

    [GeneratedRegex("^orleans_[a-z_]+", RegexOptions.Multiline)]
    private static partial Regex OrleansMetric();
}
