using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Queues;

/// <summary>The queue routes of API.md against a real Silo process.</summary>
[Collection(ProcessCollection.Name)]
public sealed class QueueHttpTests(QueueSiloFixture silo) : IClassFixture<QueueSiloFixture>
{
    [Fact]
    public async Task Publish_receive_ack_and_info_carry_the_contract_fields()
    {
        var queue = NewName("http");
        var publish = await PostAsync($"/v1/queues/{queue}/messages", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["id"] = "order-42-created",
                ["key"] = "order-42",
                ["body"] = new JsonObject { ["total"] = 12.5, ["items"] = new JsonArray("a", "b") },
                ["headers"] = new JsonObject { ["trace"] = "t-1" },
            }),
        });
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.Equal("order-42-created", (await ReadAsync(publish))["ids"]![0]!.GetValue<string>());

        var received = await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/billing/receive", new JsonObject
        {
            ["consumer"] = "c1", ["max"] = 10, ["waitMs"] = 5000, ["visibilityMs"] = 30000,
        }));
        var message = Assert.Single(received["messages"]!.AsArray())!;
        Assert.Equal("order-42-created", message["id"]!.GetValue<string>());
        Assert.Equal("order-42", message["key"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"total":12.5,"items":["a","b"]}"""), message["body"]));
        Assert.Equal("t-1", message["headers"]!["trace"]!.GetValue<string>());
        Assert.InRange(message["partition"]!.GetValue<int>(), 0, 3);
        Assert.Equal(0, message["offset"]!.GetValue<long>());
        Assert.Equal(1, message["deliveryCount"]!.GetValue<int>());
        var receipt = message["receipt"]!.GetValue<string>();

        var info = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/queues/{queue}", UriKind.Relative)));
        Assert.Equal(4, info["partitions"]!.GetValue<int>());
        Assert.Equal(1, info["depth"]!.GetValue<long>());
        Assert.Equal(1, info["inFlight"]!.GetValue<long>());
        Assert.Equal(0, info["deadLetters"]!.GetValue<long>());
        Assert.Equal("billing", info["groups"]![0]!["group"]!.GetValue<string>());

        var ack = await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/billing/ack", new JsonObject { ["receipts"] = new JsonArray(receipt) }));
        Assert.Equal(1, ack["acked"]!.GetValue<int>());
        var again = await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/billing/ack", new JsonObject { ["receipts"] = new JsonArray(receipt) }));
        Assert.Equal(0, again["acked"]!.GetValue<int>()); // unknown or already-settled receipts are counted as not acked

        info = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/queues/{queue}", UriKind.Relative)));
        Assert.Equal(0, info["inFlight"]!.GetValue<long>());
        Assert.Equal(0, info["groups"]![0]!["pending"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_waiting_receive_is_completed_by_a_publish()
    {
        var queue = NewName("wait");
        var waiting = PostAsync($"/v1/queues/{queue}/groups/g/receive", new JsonObject { ["consumer"] = "c", ["waitMs"] = 25000 });

        // The waiting receive has registered its consumer with the group once the group lists it.
        await Eventually.UntilAsync(
            async () =>
            {
                var info = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/queues/{queue}", UriKind.Relative)));
                return info["groups"]!.AsArray().Any(g => g!["consumers"]!.AsArray().Any(c => c!.GetValue<string>() == "c"));
            },
            TimeSpan.FromSeconds(10),
            "the receive is waiting");
        Assert.False(waiting.IsCompleted);
        await PostAsync($"/v1/queues/{queue}/messages", new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["body"] = 1 }) });

        var received = await ReadAsync(await waiting.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Single(received["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_wait_longer_than_one_grain_call_is_served_in_bounded_calls_and_ends_empty()
    {
        // 25 s is past the broker's 20 s per-call wait and close to the 30 s Orleans call timeout: the route loops.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await PostAsync($"/v1/queues/{NewName("idle")}/groups/g/receive", new JsonObject { ["consumer"] = "c", ["waitMs"] = 25000 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await ReadAsync(response))["messages"]!.AsArray());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(24.5), TimeSpan.FromSeconds(29));
    }

    [Fact]
    public async Task Nack_without_requeue_lists_a_dead_letter_that_replay_hands_back()
    {
        var queue = NewName("dl");
        await PostAsync($"/v1/queues/{queue}/messages", new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["id"] = "x", ["body"] = "bad" }) });
        var receive = new JsonObject { ["consumer"] = "c", ["waitMs"] = 5000 };
        var first = (await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/g/receive", receive)))["messages"]![0]!;
        var nack = await PostAsync($"/v1/queues/{queue}/groups/g/nack", new JsonObject { ["receipts"] = new JsonArray(first["receipt"]!.GetValue<string>()), ["requeue"] = false });
        Assert.Equal(HttpStatusCode.OK, nack.StatusCode);

        var letters = await ReadAsync(await silo.Http.GetAsync(new Uri($"/v1/queues/{queue}/dead-letters", UriKind.Relative)));
        var letter = Assert.Single(letters["deadLetters"]!.AsArray())!;
        Assert.Equal("g", letter["group"]!.GetValue<string>());
        Assert.Equal("rejected", letter["reason"]!.GetValue<string>());
        Assert.Equal("bad", letter["message"]!["body"]!.GetValue<string>());

        var replay = await ReadAsync(await PostAsync($"/v1/queues/{queue}/dead-letters/replay", new JsonObject()));
        Assert.Equal(1, replay["replayed"]!.GetValue<int>());
        var second = (await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/g/receive", receive)))["messages"]![0]!;
        Assert.Equal("x", second["id"]!.GetValue<string>());
        Assert.Equal(1, second["deliveryCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_name_with_an_encoded_slash_is_one_queue()
    {
        var response = await PostAsync("/v1/queues/tenant-1%2Forders/messages", new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["body"] = 1 }) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = await ReadAsync(await silo.Http.GetAsync(new Uri("/v1/queues/tenant-1%2Forders", UriKind.Relative)));
        Assert.Equal("tenant-1/orders", info["queue"]!.GetValue<string>());
        Assert.Equal(1, info["depth"]!.GetValue<long>());
    }

    [Fact]
    public async Task Seek_replays_one_partition_of_a_group_from_an_offset()
    {
        var queue = NewName("seek");
        var messages = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(new JsonObject { ["id"] = $"m{i}", ["key"] = "k", ["body"] = i });
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/v1/queues/{queue}/messages", new JsonObject { ["messages"] = messages })).StatusCode);
        var first = (await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/g/receive", new JsonObject { ["consumer"] = "c", ["max"] = 10, ["waitMs"] = 5000 })))["messages"]!.AsArray();
        Assert.Equal(3, first.Count);
        var partition = first[0]!["partition"]!.GetValue<int>();
        var receipts = new JsonArray(first.Select(m => (JsonNode)m!["receipt"]!.GetValue<string>()).ToArray());
        Assert.Equal(3, (await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/g/ack", new JsonObject { ["receipts"] = receipts })))["acked"]!.GetValue<int>());

        var seek = await PostAsync($"/v1/queues/{queue}/groups/g/seek", new JsonObject { ["partition"] = partition, ["offset"] = 1 });
        Assert.Equal(HttpStatusCode.OK, seek.StatusCode);
        var position = Assert.Single((await ReadAsync(seek))["partitions"]!.AsArray())!;
        Assert.Equal(partition, position["partition"]!.GetValue<int>());
        Assert.Equal(1, position["offset"]!.GetValue<long>());

        var again = (await ReadAsync(await PostAsync($"/v1/queues/{queue}/groups/g/receive", new JsonObject { ["consumer"] = "c", ["max"] = 10, ["waitMs"] = 5000 })))["messages"]!.AsArray();
        Assert.Equal(["m1", "m2"], again.Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(again, m => Assert.Equal(1, m!["deliveryCount"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("/v1/queues/bad%20name/messages", """{"messages":[{"body":1}]}""", 400, "queue")]
    [InlineData("/v1/queues/q/messages", """{"messages":[]}""", 400, "messages")]
    [InlineData("/v1/queues/q/messages", """{"messages":[{"key":"","body":1}]}""", 400, "messages")]
    [InlineData("/v1/queues/q/groups/g/receive", """{"max":1}""", 400, "consumer")]
    [InlineData("/v1/queues/q/groups/g/receive", """{"consumer":"c","max":0}""", 400, "max")]
    [InlineData("/v1/queues/q/groups/g/receive", """{"consumer":"c","max":1001}""", 400, "max")]
    [InlineData("/v1/queues/q/groups/g/receive", """{"consumer":"c","waitMs":300001}""", 400, "waitMs")]
    [InlineData("/v1/queues/q/groups/g/receive", """{"consumer":"c","visibilityMs":999}""", 400, "visibilityMs")]
    [InlineData("/v1/queues/q/groups/bad%20group/receive", """{"consumer":"c"}""", 400, "group")]
    [InlineData("/v1/queues/q/groups/g/ack", """{"receipts":["1-2"]}""", 400, "receipts")]
    [InlineData("/v1/queues/q/groups/g/ack", """{"receipts":[]}""", 400, "receipts")]
    [InlineData("/v1/queues/q/groups/g/nack", """{"receipts":["x"],"requeue":true}""", 400, "receipts")]
    [InlineData("/v1/queues/q/groups/g/seek", """{"partition":0}""", 400, "offset")]
    [InlineData("/v1/queues/q/groups/g/seek", """{"offset":-1}""", 400, "offset")]
    [InlineData("/v1/queues/q/groups/g/seek", """{"offset":0,"partition":-1}""", 400, "partition")]
    [InlineData("/v1/queues/q/groups/g/seek", """{"offset":0,"partition":4}""", 400, "partition")]
    [InlineData("/v1/queues/q/groups/g/seek", """{"offset":1000000,"partition":0}""", 400, "offset")]
    [InlineData("/v1/queues/q/groups/bad%20group/seek", """{"offset":0}""", 400, "group")]
    public async Task Bad_input_answers_a_problem_naming_the_field(string path, string json, int status, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await silo.Http.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.Equal(status, (int)response.StatusCode);
        var problem = await ReadAsync(response);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Oversize_bodies_and_batches_answer_413()
    {
        var big = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["body"] = new string('x', 1024 * 1024) }) };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync("/v1/queues/q413/messages", big)).StatusCode);

        var many = new JsonArray();
        for (var i = 0; i < 1001; i++)
        {
            many.Add(new JsonObject { ["body"] = i });
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync("/v1/queues/q413/messages", new JsonObject { ["messages"] = many })).StatusCode);
        var info = await ReadAsync(await silo.Http.GetAsync(new Uri("/v1/queues/q413", UriKind.Relative)));
        Assert.Equal(0, info["depth"]!.GetValue<long>());
    }

    private Task<HttpResponseMessage> PostAsync(string path, JsonObject body) =>
        silo.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("empty body");

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
