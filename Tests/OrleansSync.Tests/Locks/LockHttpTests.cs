using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSync.Tests.Locks;

/// <summary>The lock routes of the HTTP API against a real Silo process.</summary>
[Collection(Infrastructure.ProcessCollection.Name)]
public sealed class LockHttpTests(LockSiloFixture silo) : IClassFixture<LockSiloFixture>
{
    private HttpClient Http => silo.Http;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        return (response.StatusCode, await ReadAsync(response));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Acquire_renew_release_and_status_follow_the_contract()
    {
        var name = NewName("http");
        var (status, grant) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "w1", leaseMs = 30000, waitMs = 0 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(name, grant.GetProperty("name").GetString());
        Assert.Equal("w1", grant.GetProperty("owner").GetString());
        Assert.Equal(1, grant.GetProperty("token").GetInt64());
        Assert.Equal(30000, grant.GetProperty("leaseMs").GetInt64());
        Assert.True(grant.GetProperty("leaseExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(20));

        var (busy, problem) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "w2", leaseMs = 30000, waitMs = 0 });
        Assert.Equal(HttpStatusCode.Locked, busy);
        Assert.Equal(423, problem.GetProperty("status").GetInt32());

        var (renewed, renewal) = await PostAsync($"/v1/locks/{name}/renew", new { token = 1, leaseMs = 60000 });
        Assert.Equal(HttpStatusCode.OK, renewed);
        Assert.Equal(60000, renewal.GetProperty("leaseMs").GetInt64());

        var (_, info) = await GetAsync($"/v1/locks/{name}");
        Assert.True(info.GetProperty("held").GetBoolean());
        Assert.Equal("w1", info.GetProperty("owner").GetString());
        Assert.Equal(1, info.GetProperty("token").GetInt64());
        Assert.Equal(0, info.GetProperty("waiters").GetInt32());
        Assert.Equal(1, info.GetProperty("lastToken").GetInt64());
        Assert.Equal(JsonValueKind.String, info.GetProperty("leaseExpiresAt").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/locks/{name}/release", new { token = 1 })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/v1/locks/{name}/release", new { token = 1 })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/v1/locks/{name}/renew", new { token = 1, leaseMs = 1000 })).Status);

        var (_, after) = await GetAsync($"/v1/locks/{name}");
        Assert.False(after.GetProperty("held").GetBoolean());
        Assert.Equal(1, after.GetProperty("lastToken").GetInt64());
    }

    [Fact]
    public async Task A_waiting_acquire_is_granted_when_the_holder_releases_and_gives_up_with_423_after_waitMs()
    {
        var name = NewName("http-wait");
        var (_, first) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "a", leaseMs = 30000 });
        var clock = Stopwatch.StartNew();
        var (timedOut, _) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "b", leaseMs = 30000, waitMs = 300 });
        Assert.Equal(HttpStatusCode.Locked, timedOut);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(280), $"gave up after {clock.Elapsed}");
        Assert.Equal(0, (await GetAsync($"/v1/locks/{name}")).Body.GetProperty("waiters").GetInt32());

        var waiting = PostAsync($"/v1/locks/{name}/acquire", new { owner = "c", leaseMs = 30000, waitMs = 20000 });
        await Infrastructure.Eventually.UntilAsync(
            async () => (await GetAsync($"/v1/locks/{name}")).Body.GetProperty("waiters").GetInt32() == 1,
            TimeSpan.FromSeconds(10),
            "c waits");
        await PostAsync($"/v1/locks/{name}/release", new { token = first.GetProperty("token").GetInt64() });

        var (granted, grant) = await waiting;
        Assert.Equal(HttpStatusCode.OK, granted);
        Assert.Equal("c", grant.GetProperty("owner").GetString());
        Assert.Equal(2, grant.GetProperty("token").GetInt64());
    }

    [Fact]
    public async Task An_aborted_http_wait_withdraws_the_waiter()
    {
        var name = NewName("http-abort");
        await PostAsync($"/v1/locks/{name}/acquire", new { owner = "a", leaseMs = 30000 });
        using (var cts = new CancellationTokenSource())
        {
            var waiting = Http.PostAsJsonAsync(new Uri($"/v1/locks/{name}/acquire", UriKind.Relative), new { owner = "b", leaseMs = 30000, waitMs = 60000 }, cts.Token);
            await Infrastructure.Eventually.UntilAsync(
                async () => (await GetAsync($"/v1/locks/{name}")).Body.GetProperty("waiters").GetInt32() == 1,
                TimeSpan.FromSeconds(10),
                "b waits");
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        await Infrastructure.Eventually.UntilAsync(
            async () => (await GetAsync($"/v1/locks/{name}")).Body.GetProperty("waiters").GetInt32() == 0,
            TimeSpan.FromSeconds(10),
            "the aborted waiter is withdrawn");
    }

    [Fact]
    public async Task A_retried_acquire_with_the_same_requestId_gets_the_same_grant()
    {
        var name = NewName("http-idem");
        var requestId = Guid.NewGuid().ToString();
        var (_, first) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "retrier", leaseMs = 30000, requestId });
        var (status, again) = await PostAsync($"/v1/locks/{name}/acquire", new { owner = "retrier", leaseMs = 30000, requestId });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first.GetProperty("token").GetInt64(), again.GetProperty("token").GetInt64());
        Assert.Equal(1, (await GetAsync($"/v1/locks/{name}")).Body.GetProperty("lastToken").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($"/v1/locks/{name}/acquire", new { owner = "o", leaseMs = 30000, requestId = "not-a-guid" })).Status);
    }

    [Fact]
    public async Task A_name_with_an_encoded_slash_is_decoded()
    {
        var (status, grant) = await PostAsync($"/v1/locks/{Uri.EscapeDataString("tenant/a:b")}-{Guid.NewGuid():N}/acquire", new { owner = "o", leaseMs = 1000 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("tenant/a:b-", grant.GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/locks/{0}/acquire", """{"owner":"","leaseMs":1000}""", "owner")]
    [InlineData("/v1/locks/{0}/acquire", """{"leaseMs":1000}""", "owner")]
    [InlineData("/v1/locks/{0}/acquire", """{"owner":"o","leaseMs":99}""", "leaseMs")]
    [InlineData("/v1/locks/{0}/acquire", """{"owner":"o","leaseMs":3600001}""", "leaseMs")]
    [InlineData("/v1/locks/{0}/acquire", """{"owner":"o","leaseMs":1000,"waitMs":-1}""", "waitMs")]
    [InlineData("/v1/locks/{0}/acquire", """{"owner":"o","leaseMs":1000,"waitMs":300001}""", "waitMs")]
    [InlineData("/v1/locks/{0}/renew", """{"leaseMs":1000}""", "token")]
    [InlineData("/v1/locks/{0}/release", """{}""", "token")]
    [InlineData("/v1/locks/bad%20name/acquire", """{"owner":"o","leaseMs":1000}""", "name")]
    [InlineData("/v1/rwlocks/{0}/acquire", """{"owner":"o","leaseMs":1000,"mode":"both"}""", "mode")]
    [InlineData("/v1/semaphores/{0}/acquire", """{"owner":"o","leaseMs":1000}""", "limit")]
    [InlineData("/v1/semaphores/{0}/acquire", """{"owner":"o","leaseMs":1000,"limit":0}""", "limit")]
    [InlineData("/v1/elections/{0}/campaign", """{"owner":"o","leaseMs":50}""", "leaseMs")]
    public async Task Bad_input_is_a_400_naming_the_field(string route, string json, string field)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, NewName("bad"));
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"400 without field {field}: {body}");
    }

    [Fact]
    public async Task Invalid_json_and_a_long_owner_are_400()
    {
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri($"/v1/locks/{NewName("json")}/acquire", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var (status, _) = await PostAsync($"/v1/locks/{NewName("owner")}/acquire", new { owner = new string('o', 257), leaseMs = 1000 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Rwlocks_semaphores_and_elections_have_their_routes()
    {
        var rw = NewName("http-rw");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/rwlocks/{rw}/acquire", new { owner = "r1", leaseMs = 30000, mode = "read" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/rwlocks/{rw}/acquire", new { owner = "r2", leaseMs = 30000, mode = "read" })).Status);
        Assert.Equal(HttpStatusCode.Locked, (await PostAsync($"/v1/rwlocks/{rw}/acquire", new { owner = "w", leaseMs = 30000, mode = "write" })).Status);
        var rwStatus = (await GetAsync($"/v1/rwlocks/{rw}")).Body;
        Assert.Equal(2, rwStatus.GetProperty("holders").GetArrayLength());
        Assert.Equal("read", rwStatus.GetProperty("holders")[0].GetProperty("mode").GetString());

        var sem = NewName("http-sem");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/semaphores/{sem}/acquire", new { owner = "a", leaseMs = 30000, limit = 2 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/semaphores/{sem}/acquire", new { owner = "b", leaseMs = 30000, limit = 2 })).Status);
        Assert.Equal(HttpStatusCode.Locked, (await PostAsync($"/v1/semaphores/{sem}/acquire", new { owner = "c", leaseMs = 30000, limit = 2 })).Status);
        var (mismatch, problem) = await PostAsync($"/v1/semaphores/{sem}/acquire", new { owner = "d", leaseMs = 30000, limit = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Equal(2, (await GetAsync($"/v1/semaphores/{sem}")).Body.GetProperty("limit").GetInt32());

        var election = NewName("http-election");
        var (_, none) = await GetAsync($"/v1/elections/{election}");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("leader").ValueKind);
        var (campaign, leader) = await PostAsync($"/v1/elections/{election}/campaign", new { owner = "node-a", leaseMs = 30000 });
        Assert.Equal(HttpStatusCode.OK, campaign);
        var (_, current) = await GetAsync($"/v1/elections/{election}");
        Assert.Equal("node-a", current.GetProperty("leader").GetString());
        Assert.Equal(leader.GetProperty("token").GetInt64(), current.GetProperty("term").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/elections/{election}/resign", new { token = leader.GetProperty("token").GetInt64() })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/v1/elections/{election}/resign", new { token = leader.GetProperty("token").GetInt64() })).Status);
        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/v1/elections/{election}")).Body.GetProperty("leader").ValueKind);
    }
}
