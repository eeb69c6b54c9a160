using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync.Client;
using OrleansSync.Cluster;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.ClientLibrary;

/// <summary>The client library against a real Silo process, and against nothing at all.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ClientConnectionTests
{
    [Fact]
    public async Task Client_registered_with_one_call_reaches_grains_of_a_real_silo()
    {
        await using var silo = SiloProcess.Start();
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        var builder = Host.CreateApplicationBuilder();
        builder.AddOrleansSyncClient(o =>
        {
            o.Gateways.Clear();
            o.Gateways.Add($"localhost:{silo.GatewayPort}");
        });
        using var host = builder.Build();
        await host.StartAsync();

        var probe = host.Services.GetRequiredService<IClusterClient>().GetGrain<IProbeGrain>("client-test");
        var info = await probe.Write("hello");
        Assert.Equal("hello", info.Value);
        Assert.Contains($":{silo.SiloPort}:", info.Silo, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task No_gateway_fails_after_the_configured_attempts_with_a_clear_error()
    {
        var deadPort = FreePorts.Next();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleansSyncClient(o =>
        {
            o.Gateways.Clear();
            o.Gateways.Add($"127.0.0.1:{deadPort}");
            o.ConnectAttempts = 3;
            o.InitialConnectBackoff = TimeSpan.FromMilliseconds(50);
            o.MaxConnectBackoff = TimeSpan.FromMilliseconds(100);
        });
        await using var provider = services.BuildServiceProvider();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<OrleansSyncConnectionException>(async () =>
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }
        });

        Assert.Contains($"127.0.0.1:{deadPort}", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"gave up after {clock.Elapsed}");
    }

    [Fact]
    public void A_gateway_that_is_not_host_and_port_is_rejected_at_registration()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddOrleansSyncClient(o =>
        {
            o.Gateways.Clear();
            o.Gateways.Add("no-port-here");
        }).BuildServiceProvider().GetRequiredService<IClusterClient>());
        Assert.Contains("no-port-here", error.Message, StringComparison.Ordinal);
    }
}
