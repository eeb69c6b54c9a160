namespace OrleansSync.Tests.Infrastructure;

/// <summary>
/// One real embedded-profile Silo process shared by a class of HTTP tests; each capability derives its own fixture
/// (xunit needs a parameterless type per fixture) and names the process after itself so its log is easy to find.
/// </summary>
public abstract class EmbeddedSiloFixture(string name) : IAsyncLifetime
{
    private SiloProcess? _silo;

    /// <summary>An HTTP client for the silo's API.</summary>
    public HttpClient Http => Silo.Http;

    /// <summary>The silo's Orleans gateway port, for tests that connect a .NET client.</summary>
    public int GatewayPort => Silo.GatewayPort;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException($"The {name} silo is not started.");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(name: name);
        await _silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
