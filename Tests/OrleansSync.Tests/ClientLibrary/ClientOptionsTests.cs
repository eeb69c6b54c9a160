using OrleansSync.Client;

namespace OrleansSync.Tests.ClientLibrary;

public sealed class ClientOptionsTests
{
    [Fact]
    public void Defaults_point_at_the_embedded_silo()
    {
        var options = new OrleansSyncClientOptions();
        Assert.Equal(["127.0.0.1:30000"], options.Gateways);
        Assert.Equal("orleanssync", options.ClusterId);
        Assert.Null(options.ConnectionString);
    }

    [Fact]
    public void Out_of_range_values_are_rejected_as_they_are_set()
    {
        var options = new OrleansSyncClientOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ConnectAttempts = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.InitialConnectBackoff = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxConnectBackoff = TimeSpan.FromMilliseconds(1));
        Assert.ThrowsAny<ArgumentException>(() => options.ClusterId = " ");
        Assert.Equal(8, options.ConnectAttempts);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap()
    {
        var options = new OrleansSyncClientOptions { InitialConnectBackoff = TimeSpan.FromMilliseconds(100), MaxConnectBackoff = TimeSpan.FromMilliseconds(350) };
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.BackoffBefore(2));
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.BackoffBefore(3));
        Assert.Equal(TimeSpan.FromMilliseconds(350), options.BackoffBefore(4));
        Assert.Equal(TimeSpan.FromMilliseconds(350), options.BackoffBefore(10));
    }
}
