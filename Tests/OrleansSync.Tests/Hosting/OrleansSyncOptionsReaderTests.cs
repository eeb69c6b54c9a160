using Microsoft.Extensions.Configuration;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Tests.Hosting;

public sealed class OrleansSyncOptionsReaderTests
{
    [Fact]
    public void Defaults_match_the_public_contract()
    {
        var options = OrleansSyncOptionsReader.Read(Configuration());

        Assert.Equal(StorageProfile.Memory, options.Storage);
        Assert.Equal(11111, options.SiloPort);
        Assert.Equal(30000, options.GatewayPort);
        Assert.Empty(options.ApiKeys);
        Assert.False(options.Migrate);
    }

    [Fact]
    public void Keys_bind_case_insensitively_and_api_keys_accept_a_comma_list()
    {
        var options = OrleansSyncOptionsReader.Read(Configuration(
            ("OrleansSync:Storage", "postgres"),
            ("OrleansSync:ConnectionString", "Host=db"),
            ("OrleansSync:ApiKeys", "a, b"),
            ("OrleansSync:Migrate", "true")));

        Assert.Equal(StorageProfile.Postgres, options.Storage);
        Assert.Equal(["a", "b"], options.ApiKeys);
        Assert.True(options.Migrate);
    }

    [Theory]
    [InlineData("OrleansSync:Storage", "Postgres", "ConnectionString")]
    [InlineData("OrleansSync:GatewayPort", "11111", "GatewayPort")]
    [InlineData("OrleansSync:ClusterId", " ", "ClusterId")]
    [InlineData("OrleansSync:Migrate", "sometimes", "Migrate")]
    public void Bad_values_fail_naming_the_key(string key, string value, string named)
    {
        var failure = Assert.Throws<StartupFailure>(() => OrleansSyncOptionsReader.Read(Configuration((key, value))));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
