using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// The shipped ADO.NET reminder table driven directly against this schema's statements: ETags, long periods and the
/// signed/wrapping hash ranges that a silo uses to load its share of the reminders.
/// </summary>
public sealed class PostgresReminderTableTests(MigratedPostgresDatabaseFixture database) : IClassFixture<MigratedPostgresDatabaseFixture>
{
    private static readonly DateTime Start = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    [Fact]
    public async Task UpsertReadRemove_UseTheRowVersionAsETag()
    {
        var table = await CreateTableAsync();
        var grainId = GrainId.Create("reminder-test", "grain-1");
        var longPeriod = TimeSpan.FromDays(30); // more milliseconds than an int holds: the provider then sends a bigint

        var etag1 = await table.UpsertRow(Entry(grainId, "r1", TimeSpan.FromMinutes(1)));
        var etag2 = await table.UpsertRow(Entry(grainId, "r1", longPeriod));
        await table.UpsertRow(Entry(grainId, "r2", TimeSpan.FromMinutes(2)));
        var row = await table.ReadRow(grainId, "r1");

        Assert.NotNull(etag1);
        Assert.NotEqual(etag1, etag2);
        Assert.NotNull(row);
        Assert.Equal(grainId, row.GrainId);
        Assert.Equal("r1", row.ReminderName);
        Assert.Equal(Start, row.StartAt);
        Assert.Equal(longPeriod, row.Period);
        Assert.Equal(etag2, row.ETag);
        Assert.Equal(["r1", "r2"], (await table.ReadRows(grainId)).Reminders.Select(r => r.ReminderName).Order());

        Assert.False(await table.RemoveRow(grainId, "r1", etag1!)); // stale ETag
        Assert.True(await table.RemoveRow(grainId, "r1", etag2!));
        Assert.Null(await table.ReadRow(grainId, "r1"));
        Assert.Null(await table.ReadRow(GrainId.Create("reminder-test", "no-such-grain"), "r1"));

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(grainId)).Reminders);
    }

    [Theory]
    [InlineData(0x0000_0000u, 0x7FFF_FFFFu)] // both non-negative as int
    [InlineData(0x4000_0000u, 0xC000_0000u)] // crosses the int sign boundary: not wrapping as uint, wrapping as int
    [InlineData(0xF000_0000u, 0x1000_0000u)] // wraps as uint, not as int
    [InlineData(0x9000_0000u, 0x2000_0000u)] // wraps as uint and as int
    [InlineData(0x1234_5678u, 0x1234_5678u)] // begin == end: the whole ring
    public async Task ReadRowsByRange_ReturnsExactlyTheGrainsWhoseHashIsInTheRange(uint begin, uint end)
    {
        var table = await CreateTableAsync();
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("reminder-range-test", $"grain-{i}")).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        }

        var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).ToHashSet();
        var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    // IReminderTable.ReadRows(begin, end): hashes in (begin, end] on the uint ring, the whole ring when begin == end.
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Entry(GrainId grainId, string name, TimeSpan period) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = Start,
        Period = period,
    };

    private async Task<IReminderTable> CreateTableAsync()
    {
        // A service id per test keeps the tests' rows apart in the shared database.
        var serviceId = "reminder-tests-" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection()
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = "reminder-tests";
                options.ServiceId = serviceId;
            })
            .UseAdoNetReminderService(builder => builder.Configure(options =>
            {
                options.Invariant = PostgresClusterConfigurator.Invariant;
                options.ConnectionString = database.ConnectionString;
            }))
            .BuildServiceProvider();
        var table = services.GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }
}
