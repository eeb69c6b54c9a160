using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync.Client.Queues;
using OrleansSync.Queues;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>An application consumes with <c>AddQueueConsumer&lt;THandler&gt;</c> against a real Silo process.</summary>
[Collection(ProcessCollection.Name)]
public sealed class QueueConsumerHostingTests(QueueSiloFixture silo) : IClassFixture<QueueSiloFixture>
{
    [Fact]
    public async Task A_hosted_consumer_handles_every_message_and_leaves_the_group_on_stop()
    {
        var queue = $"hosted-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.AddOrleansSyncClient(o =>
        {
            o.Gateways.Clear();
            o.Gateways.Add($"127.0.0.1:{silo.GatewayPort}");
        });
        builder.Services.AddSingleton<HandledMessages>();
        builder.Services.AddQueueConsumer<RecordingQueueHandler>(queue, "app", o => o.Concurrency = 2);

        using var host = builder.Build();
        await host.StartAsync();
        var queues = host.Services.GetRequiredService<IQueueService>();
        var handled = host.Services.GetRequiredService<HandledMessages>();
        await queues.PublishAsync(queue, Enumerable.Range(0, 50).Select(i => new QueueMessage($"h-{i}", $"k{i % 5}", [(byte)i])).ToList());

        await Eventually.UntilAsync(() => Task.FromResult(handled.All.Select(m => m.Id).Distinct().Count() == 50), TimeSpan.FromSeconds(30), "the handler sees all 50 messages");
        await Eventually.UntilAsync(
            async () => (await queues.GetInfoAsync(queue)).Groups.Single().Pending == 0, TimeSpan.FromSeconds(30), "every message is acked");
        await host.StopAsync();

        var inspector = Host.CreateApplicationBuilder();
        inspector.AddOrleansSyncClient(o =>
        {
            o.Gateways.Clear();
            o.Gateways.Add($"127.0.0.1:{silo.GatewayPort}");
        });
        using var inspectorHost = inspector.Build();
        await inspectorHost.StartAsync();
        // Well under the silo's 30 s consumer lease: only an explicit leave empties the group this fast.
        await Eventually.UntilAsync(
            async () => (await inspectorHost.Services.GetRequiredService<IQueueService>().GetInfoAsync(queue)).Groups.Single().Consumers.Count == 0,
            TimeSpan.FromSeconds(10),
            "the stopped consumer left its group");
        await inspectorHost.StopAsync();
    }

    [Fact]
    public void Registration_validates_names_and_options_at_once()
    {
        var services = new ServiceCollection();
        Assert.ThrowsAny<ArgumentException>(() => services.AddQueueConsumer<RecordingQueueHandler>("bad name", "g"));
        Assert.ThrowsAny<ArgumentException>(() => services.AddQueueConsumer<RecordingQueueHandler>("q", "g", o => o.Prefetch = 0));
        Assert.ThrowsAny<ArgumentException>(() => new QueueSubscriptionOptions { ConsumerId = "has space" });
        Assert.ThrowsAny<ArgumentException>(() => new QueueSubscriptionOptions { Visibility = TimeSpan.FromMilliseconds(5) });
    }
}
