using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansSync.Client.Locks;
using OrleansSync.Locks;
using OrleansSync.Silo.Postgres;
using OrleansSync.Silo.Postgres.GrainState;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Postgres;

/// <summary>
/// The PostgreSQL profile's grain storage (<see cref="PostgresGrainStorage"/>) as the silo registers it, on real test
/// clusters: concurrent writes of many grains, ETag conflicts inside one group commit, clear, and state written by the
/// ADO.NET provider before the upgrade.
/// </summary>
public sealed class PostgresGrainStorageTests
{
    private const string CounterState = PgCounterGrain.StateName;

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_all_durable_for_a_new_cluster()
    {
        const int Grains = 64;
        const int WritesPerGrain = 5;
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var keys = Enumerable.Range(0, Grains).Select(i => $"counter-{i}").ToArray();

        await using (var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1))
        {
            // Every grain writes in sequence; the grains write at the same time, so their writes share commits.
            await Task.WhenAll(keys.Select(async key =>
            {
                var grain = cluster.Client.GetGrain<IPgCounterGrain>(key);
                for (var i = 0; i < WritesPerGrain; i++)
                {
                    await grain.IncrementAsync();
                }
            }));
        }

        Assert.Equal(Grains, await database.CountAsync(
            $"SELECT count(*) FROM orleanssync_grain_record WHERE state_name = '{CounterState}' AND version = {WritesPerGrain}"));
        await using var restarted = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1);
        foreach (var key in keys)
        {
            Assert.Equal(WritesPerGrain, await restarted.Client.GetGrain<IPgCounterGrain>(key).GetValueAsync());
        }
    }

    [Fact]
    public async Task One_stale_etag_among_concurrent_writes_fails_that_write_alone()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        await using var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1);
        var storage = Storage(cluster);
        var ids = Enumerable.Range(0, 40).Select(i => CounterId(cluster, $"batch-{i}")).ToArray();
        var states = ids.Select(_ => new GrainState<PgCounterState>(new PgCounterState())).ToArray();
        await Task.WhenAll(ids.Select((id, i) => storage.WriteStateAsync(CounterState, id, states[i])));

        // Another writer moves grain 13 on; its state object below still carries the older ETag.
        var other = new GrainState<PgCounterState>(new PgCounterState());
        await storage.ReadStateAsync(CounterState, ids[13], other);
        other.State!.Value = 1000;
        await storage.WriteStateAsync(CounterState, ids[13], other);

        var writes = ids.Select((id, i) =>
        {
            states[i].State!.Value = i + 1;
            return Outcome(storage.WriteStateAsync(CounterState, id, states[i]));
        }).ToArray();
        var outcomes = await Task.WhenAll(writes);

        for (var i = 0; i < ids.Length; i++)
        {
            var read = new GrainState<PgCounterState>(new PgCounterState());
            await storage.ReadStateAsync(CounterState, ids[i], read);
            if (i == 13)
            {
                Assert.IsType<InconsistentStateException>(outcomes[i]);
                Assert.Equal(1000, read.State!.Value);
            }
            else
            {
                Assert.Null(outcomes[i]);
                Assert.Equal(i + 1, read.State!.Value);
                Assert.Equal(states[i].ETag, read.ETag);
            }
        }
    }

    [Fact]
    public async Task A_clear_empties_the_state_keeps_the_etag_chain_and_a_write_after_it_succeeds()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        await using var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1);
        var storage = Storage(cluster);
        var id = CounterId(cluster, "clear");
        var state = new GrainState<PgCounterState>(new PgCounterState { Value = 3 });
        await storage.WriteStateAsync(CounterState, id, state);
        var beforeClear = state.ETag;

        await storage.ClearStateAsync(CounterState, id, state);

        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
        Assert.NotEqual(beforeClear, state.ETag);
        var read = new GrainState<PgCounterState>(new PgCounterState { Value = -1 });
        await storage.ReadStateAsync(CounterState, id, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Value);
        Assert.Equal(state.ETag, read.ETag);

        // The ETag from before the clear cannot bring the state back; the one the clear returned writes.
        var stale = new GrainState<PgCounterState>(new PgCounterState { Value = 5 }) { ETag = beforeClear, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(CounterState, id, stale));
        state.State!.Value = 7;
        await storage.WriteStateAsync(CounterState, id, state);
        Assert.True(state.RecordExists);
        await storage.ReadStateAsync(CounterState, id, read);
        Assert.Equal(7, read.State!.Value);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task State_written_by_the_adonet_provider_is_read_through_and_lock_tokens_keep_increasing_after_the_upgrade()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        var lockName = "upgraded-" + Guid.NewGuid().ToString("N");
        await using (var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1))
        {
            // What the previous version left: states written by the ADO.NET provider behind the same key wrapper.
            var legacy = Legacy(cluster);
            var lease = new GrainState<LeaseState>(new LeaseState { LastToken = 41, Limit = 1 });
            await legacy.WriteStateAsync("lease", cluster.Client.GetGrain<ILockGrain>(lockName).GetGrainId(), lease);
            var counter = new GrainState<PgCounterState>(new PgCounterState { Value = 5 });
            await legacy.WriteStateAsync(CounterState, CounterId(cluster, "legacy-counter"), counter);
            Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM orleanssync_grain_state"));
        }

        await using (var upgraded = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1))
        {
            var counter = upgraded.Client.GetGrain<IPgCounterGrain>("legacy-counter");
            Assert.Equal(5, await counter.GetValueAsync());
            Assert.StartsWith(PostgresGrainStorage.LegacyETagPrefix, await counter.GetETagAsync(), StringComparison.Ordinal);
            Assert.Equal(6, await counter.IncrementAsync());

            await using var handle = await Locks(upgraded).AcquireAsync(lockName, TimeSpan.FromSeconds(10));
            Assert.Equal(42, handle.FencingToken);
        }

        // The state now lives in the new table; the ADO.NET rows are left as they were and no longer read.
        Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM orleanssync_grain_record"));
        await using var restarted = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1);
        Assert.Equal(6, await restarted.Client.GetGrain<IPgCounterGrain>("legacy-counter").GetValueAsync());
        await using var next = await Locks(restarted).AcquireAsync(lockName, TimeSpan.FromSeconds(10));
        Assert.True(next.FencingToken > 42, $"token {next.FencingToken} after the restart must be above 42");
    }

    [Fact]
    public async Task Two_activations_that_read_adonet_state_cannot_both_write_it_first()
    {
        await using var database = await PostgresDatabaseFixture.CreateDatabaseAsync(applyMigrations: true);
        await using var cluster = await PostgresProfileCluster.StartAsync(database.ConnectionString, silos: 1);
        var id = CounterId(cluster, "legacy-race");
        await Legacy(cluster).WriteStateAsync(CounterState, id, new GrainState<PgCounterState>(new PgCounterState { Value = 9 }));

        var storage = Storage(cluster);
        var first = new GrainState<PgCounterState>(new PgCounterState());
        var second = new GrainState<PgCounterState>(new PgCounterState());
        await storage.ReadStateAsync(CounterState, id, first);
        await storage.ReadStateAsync(CounterState, id, second);
        Assert.Equal(9, first.State!.Value);
        Assert.True(first.RecordExists);
        first.State!.Value = 10;
        second.State!.Value = 100;

        var outcomes = await Task.WhenAll(
            Outcome(storage.WriteStateAsync(CounterState, id, first)),
            Outcome(storage.WriteStateAsync(CounterState, id, second)));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is InconsistentStateException);
        var read = new GrainState<PgCounterState>(new PgCounterState());
        await storage.ReadStateAsync(CounterState, id, read);
        Assert.Equal(outcomes[0] is null ? 10 : 100, read.State!.Value);
    }

    private static IGrainStorage Storage(TestCluster cluster) =>
        cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);

    /// <summary>The ADO.NET provider the profile keeps for reading old state, wrapped as the previous version used it.</summary>
    private static UnambiguousGrainStorage Legacy(TestCluster cluster) =>
        new(cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage + ".adonet"));

    private static GrainId CounterId(TestCluster cluster, string key) => cluster.Client.GetGrain<IPgCounterGrain>(key).GetGrainId();

    private static LockService Locks(TestCluster cluster) =>
        new(new LeaseClient(cluster.Client, TimeProvider.System, NullLoggerFactory.Instance));

    private static async Task<Exception?> Outcome(Task write)
    {
        try
        {
            await write;
            return null;
        }
#pragma warning disable CA1031 // the test asserts which exception it was
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }
}
