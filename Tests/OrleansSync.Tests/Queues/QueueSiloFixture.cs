using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>One real embedded-profile Silo process for the queue HTTP tests.</summary>
public sealed class QueueSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public HttpClient Http => Silo.Http;

    public int GatewayPort => Silo.GatewayPort;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(name: "queues-http");
        await _silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
