using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hashing;

/// <summary>One real Silo process (embedded profile) shared by the ring HTTP tests; it also runs with migration on membership change switched on.</summary>
public sealed class RingSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo is not started yet.");

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(
            settings: new Dictionary<string, string> { ["Placement:MigrateOnMembershipChange"] = "true" },
            name: "rings");
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
