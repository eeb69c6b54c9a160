using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>One real embedded-profile Silo process for the replication HTTP tests.</summary>
public sealed class ReplicaSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public HttpClient Http => Silo.Http;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(name: "replicas-http");
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
