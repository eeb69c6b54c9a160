using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Security;

namespace OrleansSync.Tests.Hosting;

public sealed class HttpBindingGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.0.0.2:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://localhost", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://10.1.2.3:5000", false)]
    [InlineData("http://example.com:5000", false)]
    public void Loopback_is_told_apart_from_everything_else(string url, bool loopback) =>
        Assert.Equal(loopback, HttpBindingGuard.IsLoopback(url));

    [Fact]
    public void No_urls_means_the_loopback_default() =>
        Assert.Equal([HttpBindingGuard.DefaultUrl], HttpBindingGuard.ParseUrls(null));

    [Fact]
    public void One_exposed_url_among_several_is_refused_without_keys()
    {
        var urls = HttpBindingGuard.ParseUrls("http://127.0.0.1:5000; http://0.0.0.0:5001");
        var failure = Assert.Throws<StartupFailure>(() => HttpBindingGuard.Check(urls, new OrleansSyncOptions()));
        Assert.Contains("http://0.0.0.0:5001", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exposed_urls_are_allowed_with_a_key()
    {
        var options = new OrleansSyncOptions();
        options.ApiKeys.Add("k");
        HttpBindingGuard.Check(["http://0.0.0.0:5000"], options);
    }
}
