using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hosting;

/// <summary>The real Silo executable on its embedded default: health, graceful stop, security default, bad configuration.</summary>
[Collection(ProcessCollection.Name)]
public sealed class EmbeddedSiloProcessTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Embedded_default_answers_healthz_and_exits_zero_on_a_stop_signal(string signal)
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitHealthyAsync(StartDeadline);

        using var response = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("silo is Active", body!["status"]);

        Assert.Equal(0, await silo.StopAsync(ExitDeadline, signal));
        Assert.DoesNotContain("Unhandled exception", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_route_lists_the_silo_as_active()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitHealthyAsync(StartDeadline);

        using var response = await silo.Http.GetAsync(new Uri("/v1/cluster", UriKind.Relative));
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var only = Assert.Single(body.RootElement.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", only.GetProperty("status").GetString());
        Assert.Contains($":{silo.SiloPort}:", only.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, body.RootElement.GetProperty("placement").ValueKind);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{port}")]
    [InlineData("http://*:{port}")]
    public async Task Non_loopback_binding_without_api_keys_refuses_to_start_with_one_line(string url)
    {
        var port = FreePorts.Next();
        await using var silo = SiloProcess.Start(extraArgs: ["--urls", url.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)]);

        var exitCode = await silo.WaitForExitAsync(ExitDeadline);

        Assert.Equal(2, exitCode);
        var lines = NonEmptyLines(silo.Output);
        var line = Assert.Single(lines);
        Assert.Contains("refusing to start", line, StringComparison.Ordinal);
        Assert.Contains("ApiKeys", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_api_keys_every_v1_request_needs_the_bearer_key()
    {
        var port = FreePorts.Next();
        await using var silo = SiloProcess.Start(
            settings: new Dictionary<string, string> { ["ApiKeys:0"] = "first-key", ["ApiKeys:1"] = "second-key" },
            extraArgs: ["--urls", $"http://0.0.0.0:{port}"],
            httpPort: port);
        await silo.WaitHealthyAsync(StartDeadline);

        using var anonymous = await silo.Http.GetAsync(new Uri("/v1/cluster-probe-route", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster-probe-route");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "first-key-but-longer");
        using var wrongResponse = await silo.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster-probe-route");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "second-key");
        using var rightResponse = await silo.Http.SendAsync(right);
        Assert.Equal(HttpStatusCode.NotFound, rightResponse.StatusCode);

        // Health stays open for probes.
        using var health = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("Storage", "Mysql", "Storage")]
    [InlineData("SiloPort", "70000", "SiloPort")]
    [InlineData("AdvertisedAddress", "not-an-ip", "AdvertisedAddress")]
    [InlineData("Queues:MaxDeliveries", "0", "OrleansSync:Queues:MaxDeliveries")]
    [InlineData("Queues:DeliveryFlushDelay", "soon", "OrleansSync:Queues:DeliveryFlushDelay")]
    [InlineData("Membership:ProbeTimeout", "-", "OrleansSync:Membership:ProbeTimeout")]
    public async Task Invalid_configuration_exits_with_one_line_naming_the_key(string key, string value, string named)
    {
        await using var silo = SiloProcess.Start(settings: new Dictionary<string, string> { [key] = value });

        var exitCode = await silo.WaitForExitAsync(ExitDeadline);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(NonEmptyLines(silo.Output));
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_profile_with_unreachable_database_exits_with_one_line_naming_the_host()
    {
        var closedPort = FreePorts.Next();
        await using var silo = SiloProcess.Start(settings: new Dictionary<string, string>
        {
            ["Storage"] = "Postgres",
            ["ConnectionString"] = $"Host=127.0.0.1;Port={closedPort};Username=nobody;Password=secret-password;Database=orleanssync",
        });

        var exitCode = await silo.WaitForExitAsync(ExitDeadline);

        Assert.Equal(3, exitCode);
        var line = Assert.Single(NonEmptyLines(silo.Output));
        Assert.Contains($"cannot reach PostgreSQL at 127.0.0.1:{closedPort}/orleanssync", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", line, StringComparison.Ordinal);
    }

    private static string[] NonEmptyLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
