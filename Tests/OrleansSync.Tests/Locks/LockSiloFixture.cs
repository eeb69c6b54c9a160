using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Locks;

/// <summary>One real Silo process (embedded memory profile) shared by the lock HTTP tests.</summary>
public sealed class LockSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public HttpClient Http => (_silo ?? throw new InvalidOperationException("The silo is not started.")).Http;

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(name: "locks-http");
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
