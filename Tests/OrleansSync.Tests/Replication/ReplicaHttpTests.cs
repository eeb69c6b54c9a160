using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication;

/// <summary>The replication routes of API.md against a real Silo process (one silo: copies wrap onto it).</summary>
[Collection(ProcessCollection.Name)]
public sealed class ReplicaHttpTests(ReplicaSiloFixture silo) : IClassFixture<ReplicaSiloFixture>
{
    [Fact]
    public async Task Configure_write_read_and_delete_carry_the_contract_fields()
    {
        var group = NewName("http");
        var configured = await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["mode"] = "primary-backup", ["replicas"] = 3 }));
        Assert.Equal("primary-backup", configured["mode"]!.GetValue<string>());
        Assert.Equal(1, configured["epoch"]!.GetValue<long>());
        var copies = configured["replicas"]!.AsArray();
        Assert.Equal(3, copies.Count);
        Assert.Equal([0, 1, 2], copies.Select(c => c!["index"]!.GetValue<int>()));
        Assert.Equal("primary", copies[0]!["role"]!.GetValue<string>());
        Assert.All(copies.Skip(1), c => Assert.Equal("backup", c!["role"]!.GetValue<string>()));
        Assert.All(copies, c => Assert.False(string.IsNullOrEmpty(c!["silo"]!.GetValue<string>())));
        Assert.False(configured["distinctSilos"]!.GetValue<bool>()); // one silo, three copies

        var first = await ReadAsync(await PutAsync($"/v1/replicas/{group}/keys/user%2F42", new JsonObject
        {
            ["value"] = new JsonObject { ["name"] = "Ada", ["tags"] = new JsonArray("a", "b") },
            ["write"] = "all",
        }));
        Assert.Equal(3, first["acks"]!.GetValue<int>());
        var version = first["version"]!.GetValue<long>();
        Assert.True(version > 0);

        foreach (var read in new[] { "primary", "any", "majority" })
        {
            var got = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/user%2F42?read={read}", UriKind.Relative)));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"Ada","tags":["a","b"]}"""), got["value"]), read);
            Assert.Equal(version, got["version"]!.GetValue<long>());
        }

        var conflict = await PutAsync($"/v1/replicas/{group}/keys/user%2F42", new JsonObject { ["value"] = 1, ["expectedVersion"] = version + 100 });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var second = await ReadAsync(await PutAsync($"/v1/replicas/{group}/keys/user%2F42", new JsonObject { ["value"] = "two", ["write"] = "one", ["expectedVersion"] = version }));
        Assert.True(second["version"]!.GetValue<long>() > version);

        var status = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}", UriKind.Relative)));
        Assert.Equal(1, status["epoch"]!.GetValue<long>());
        Assert.All(status["replicas"]!.AsArray(), c => Assert.True(c!["lag"]!.GetValue<long>() >= 0));

        var deleted = await silo.Http.DeleteAsync(new Uri($"/v1/replicas/{group}/keys/user%2F42?write=majority", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var gone = await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/user%2F42?read=majority", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/v1/replicas/{g}", """{"mode":"chain"}""", 400, "mode")]
    [InlineData("PUT", "/v1/replicas/{g}", """{"replicas":8}""", 400, "replicas")]
    [InlineData("PUT", "/v1/replicas/{g}", """{"replicas":0}""", 400, "replicas")]
    [InlineData("PUT", "/v1/replicas/{g}/keys/k", """{"value":1,"write":"quorum"}""", 400, "write")]
    [InlineData("PUT", "/v1/replicas/{g}/keys/k", """{"value":1,"expectedVersion":-1}""", 400, "expectedVersion")]
    [InlineData("PUT", "/v1/replicas/{g}/keys/k", """{"write":"one"}""", 400, "value")]
    [InlineData("PUT", "/v1/replicas/{g}/keys/bad%20key", """{"value":1}""", 400, "key")]
    [InlineData("GET", "/v1/replicas/{g}/keys/k?read=strong", "", 400, "read")]
    [InlineData("DELETE", "/v1/replicas/{g}/keys/k?write=some", "", 400, "write")]
    [InlineData("GET", "/v1/replicas/bad%20group", "", 400, "group")]
    public async Task Bad_input_answers_a_problem_naming_the_field(string method, string path, string json, int status, string field)
    {
        var group = NewName("bad");
        await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["replicas"] = 1 }));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{g}", group, StringComparison.Ordinal), UriKind.Relative));
        if (json.Length > 0)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await silo.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        var problem = await ReadAsync(response);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Unknown_group_or_key_is_404_and_a_value_over_1_MiB_is_413()
    {
        var unknown = NewName("unknown");
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(new Uri($"/v1/replicas/{unknown}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(new Uri($"/v1/replicas/{unknown}/keys/k", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync($"/v1/replicas/{unknown}/keys/k", new JsonObject { ["value"] = 1 })).StatusCode);

        var group = NewName("limits");
        await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["replicas"] = 1 }));
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/missing", UriKind.Relative))).StatusCode);
        var big = await PutAsync($"/v1/replicas/{group}/keys/big", new JsonObject { ["value"] = new string('x', (1024 * 1024) + 1) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var fits = await PutAsync($"/v1/replicas/{group}/keys/fits", new JsonObject { ["value"] = new string('x', (1024 * 1024) - 2) });
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    [Fact]
    public async Task A_multi_primary_group_serves_the_same_routes_with_clock_versions_and_refuses_conditional_writes()
    {
        var group = NewName("multi");
        var configured = await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["mode"] = "multi-primary", ["replicas"] = 3 }));
        Assert.Equal("multi-primary", configured["mode"]!.GetValue<string>());
        Assert.Equal(3, configured["replicas"]!.AsArray().Count);
        Assert.All(configured["replicas"]!.AsArray(), c => Assert.Equal("primary", c!["role"]!.GetValue<string>()));

        var first = await ReadAsync(await PutAsync($"/v1/replicas/{group}/keys/cart%2F7", new JsonObject { ["value"] = new JsonArray(1, 2), ["write"] = "all" }));
        Assert.Equal(3, first["acks"]!.GetValue<int>());
        var second = await ReadAsync(await PutAsync($"/v1/replicas/{group}/keys/cart%2F7", new JsonObject { ["value"] = new JsonArray(1, 2, 3), ["write"] = "majority" }));
        Assert.True(second["version"]!.GetValue<long>() > first["version"]!.GetValue<long>());

        var got = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/cart%2F7?read=majority", UriKind.Relative)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[1,2,3]"), got["value"]));
        Assert.Equal(second["version"]!.GetValue<long>(), got["version"]!.GetValue<long>());

        var conditional = await PutAsync($"/v1/replicas/{group}/keys/cart%2F7", new JsonObject { ["value"] = 4, ["expectedVersion"] = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, conditional.StatusCode);
        Assert.NotNull((await ReadAsync(conditional))["errors"]!["expectedVersion"]);

        Assert.Equal(HttpStatusCode.OK, (await silo.Http.DeleteAsync(new Uri($"/v1/replicas/{group}/keys/cart%2F7?write=all", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/cart%2F7?read=any", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Counters_and_sets_of_a_multi_primary_group_change_and_read_over_http()
    {
        var group = NewName("crdt");
        await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["mode"] = "multi-primary", ["replicas"] = 3 }));

        var up = await ReadAsync(await PostAsync($"/v1/replicas/{group}/counters/visits", new JsonObject { ["delta"] = 5, ["write"] = "all" }));
        Assert.Equal(3, up["acks"]!.GetValue<int>());
        await ReadAsync(await PostAsync($"/v1/replicas/{group}/counters/visits", new JsonObject()));
        await ReadAsync(await PostAsync($"/v1/replicas/{group}/counters/visits", new JsonObject { ["delta"] = -2 }));
        foreach (var read in new[] { "", "?read=majority", "?read=primary" })
        {
            var counter = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/counters/visits{read}", UriKind.Relative)));
            Assert.Equal(4, counter["value"]!.GetValue<long>());
        }

        var never = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/counters/never", UriKind.Relative)));
        Assert.Equal(0, never["value"]!.GetValue<long>());

        await ReadAsync(await PostAsync($"/v1/replicas/{group}/sets/team%2Fa", new JsonObject { ["add"] = new JsonArray("ann", "bob", "cy"), ["write"] = "all" }));
        await ReadAsync(await PostAsync($"/v1/replicas/{group}/sets/team%2Fa", new JsonObject { ["remove"] = new JsonArray("bob"), ["write"] = "all" }));
        var set = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/sets/team%2Fa?read=majority", UriKind.Relative)));
        Assert.Equal(["ann", "cy"], set["elements"]!.AsArray().Select(e => e!.GetValue<string>()));

        // The key's value is separate from its counter and set.
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(new Uri($"/v1/replicas/{group}/keys/visits?read=majority", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v1/replicas/{g}/counters/c", """{"delta":0}""", 400, "delta")]
    [InlineData("POST", "/v1/replicas/{g}/counters/c", """{"delta":1,"write":"most"}""", 400, "write")]
    [InlineData("POST", "/v1/replicas/{g}/counters/bad%20key", """{"delta":1}""", 400, "key")]
    [InlineData("GET", "/v1/replicas/{g}/counters/c?read=strong", "", 400, "read")]
    [InlineData("POST", "/v1/replicas/{g}/sets/s", """{"add":["a"],"remove":["b"]}""", 400, "add")]
    [InlineData("POST", "/v1/replicas/{g}/sets/s", """{}""", 400, "add")]
    [InlineData("POST", "/v1/replicas/{g}/sets/s", """{"remove":[""]}""", 400, "remove")]
    [InlineData("GET", "/v1/replicas/{g}/sets/s?read=all", "", 400, "read")]
    [InlineData("POST", "/v1/replicas/{pb}/counters/c", """{"delta":1}""", 400, "group")]
    [InlineData("GET", "/v1/replicas/{pb}/sets/s", "", 400, "group")]
    [InlineData("POST", "/v1/replicas/{unknown}/counters/c", """{"delta":1}""", 404, null)]
    [InlineData("GET", "/v1/replicas/{unknown}/sets/s", "", 404, null)]
    public async Task Bad_counter_and_set_input_answers_a_problem_naming_the_field(string method, string path, string json, int status, string? field)
    {
        var group = NewName("crdt-bad");
        var primaryBackup = NewName("crdt-pb");
        await ReadAsync(await PutAsync($"/v1/replicas/{group}", new JsonObject { ["mode"] = "multi-primary", ["replicas"] = 1 }));
        await ReadAsync(await PutAsync($"/v1/replicas/{primaryBackup}", new JsonObject { ["replicas"] = 1 }));
        var uri = path.Replace("{g}", group, StringComparison.Ordinal).Replace("{pb}", primaryBackup, StringComparison.Ordinal)
            .Replace("{unknown}", NewName("unknown"), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(uri, UriKind.Relative));
        if (json.Length > 0)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await silo.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.NotNull((await ReadAsync(response))["errors"]![field]);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, JsonObject body) =>
        silo.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    private Task<HttpResponseMessage> PutAsync(string path, JsonObject body) =>
        silo.Http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty response.");

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
