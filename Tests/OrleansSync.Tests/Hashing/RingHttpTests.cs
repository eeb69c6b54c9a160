using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSync.Hashing;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Hashing;

/// <summary>The <c>/v1/rings</c> routes of API.md against a real Silo process.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RingHttpTests(RingSiloFixture fixture) : IClassFixture<RingSiloFixture>
{
    private HttpClient Http => fixture.Silo.Http;

    [Fact]
    public async Task Put_get_owners_and_delete_follow_the_contract()
    {
        var ring = Unique("cache");

        var first = await SendAsync(HttpMethod.Put, $"/v1/rings/{ring}/nodes/cache-a:6379", new { weight = 1 });
        var second = await SendAsync(HttpMethod.Put, $"/v1/rings/{ring}/nodes/cache-b:6379", new { weight = 3 });
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(1, first.Body.GetProperty("version").GetInt64());
        Assert.Equal(2, second.Body.GetProperty("version").GetInt64());

        var get = await SendAsync(HttpMethod.Get, $"/v1/rings/{ring}");
        Assert.Equal(HttpStatusCode.OK, get.Status);
        var nodes = get.Body.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(["cache-a:6379", "cache-b:6379"], nodes.Select(n => n.GetProperty("id").GetString()));
        Assert.Equal([1, 3], nodes.Select(n => n.GetProperty("weight").GetInt32()));
        var shares = nodes.Select(n => n.GetProperty("share").GetDouble()).ToArray();
        Assert.Equal(1.0, shares.Sum(), 6);
        Assert.InRange(shares[1], 0.65, 0.85);

        var expected = HashRingLayout.Build(new HashRingSnapshot(ring, 2, [new HashRingNode("cache-a:6379", 1), new HashRingNode("cache-b:6379", 3)]));
        var owners = await SendAsync(HttpMethod.Get, $"/v1/rings/{ring}/owners?key=user:42&n=3");
        Assert.Equal(HttpStatusCode.OK, owners.Status);
        Assert.Equal(expected.GetPreferenceList("user:42", 3), owners.Body.GetProperty("owners").EnumerateArray().Select(o => o.GetString()!).ToArray());
        var single = await SendAsync(HttpMethod.Get, $"/v1/rings/{ring}/owners?key=user:42");
        Assert.Equal([expected.GetOwner("user:42")], single.Body.GetProperty("owners").EnumerateArray().Select(o => o.GetString()!).ToArray());

        var deleted = await SendAsync(HttpMethod.Delete, $"/v1/rings/{ring}/nodes/cache-a:6379");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(3, deleted.Body.GetProperty("version").GetInt64());
        var left = Assert.Single(deleted.Body.GetProperty("nodes").EnumerateArray());
        Assert.Equal(1.0, left.GetProperty("share").GetDouble(), 9);
    }

    [Fact]
    public async Task Put_without_a_body_means_weight_one()
    {
        var ring = Unique("nobody");
        using var response = await Http.PutAsync(new Uri($"/v1/rings/{ring}/nodes/n1", UriKind.Relative), null);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Assert.Single(body.RootElement.GetProperty("nodes").EnumerateArray()).GetProperty("weight").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/v1/rings/{ring}")]
    [InlineData("GET", "/v1/rings/{ring}/owners?key=k")]
    [InlineData("DELETE", "/v1/rings/{ring}/nodes/n1")]
    public async Task An_unknown_ring_is_404(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path.Replace("{ring}", Unique("unknown"), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Theory]
    [InlineData("PUT", "/v1/rings/bad%20ring/nodes/n1", "ring")]
    [InlineData("PUT", "/v1/rings/{ring}/nodes/bad%20node", "node")]
    [InlineData("PUT", "/v1/rings/{ring}/nodes/n1?w=0", "weight")]
    [InlineData("GET", "/v1/rings/{ring}/owners", "key")]
    [InlineData("GET", "/v1/rings/{ring}/owners?key=k&n=0", "n")]
    [InlineData("GET", "/v1/rings/{ring}/owners?key=k&n=x", "n")]
    [InlineData("GET", "/v1/rings/{ring}/owners?key=k&n=101", "n")]
    public async Task Bad_input_is_400_naming_the_field(string method, string path, string field)
    {
        var ring = Unique("valid");
        await SendAsync(HttpMethod.Put, $"/v1/rings/{ring}/nodes/n0", new { weight = 1 });
        var weight = path.EndsWith("?w=0", StringComparison.Ordinal) ? new { weight = 0 } : new { weight = 1 };

        var response = await SendAsync(new HttpMethod(method), path.Replace("{ring}", ring, StringComparison.Ordinal).Replace("?w=0", string.Empty, StringComparison.Ordinal), method == "PUT" ? weight : null);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.True(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {response.Body}");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
