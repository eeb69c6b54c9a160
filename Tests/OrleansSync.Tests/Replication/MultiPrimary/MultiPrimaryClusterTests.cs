using System.Collections.Concurrent;
using System.Text;
using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>Multi-primary copies on a 3-silo cluster: every copy takes writes, and all copies end up equal.</summary>
[Collection(MultiPrimaryClusterCollection.Name)]
public sealed class MultiPrimaryClusterTests(MultiPrimaryClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = MultiPrimaryTestSiloConfigurator.ConvergenceDeadline;

    [Fact]
    public async Task Copies_of_a_group_live_on_distinct_silos()
    {
        var group = new CopyGroup(fixture.Client, "mp-placement");
        var statuses = await group.StatusesAsync();
        Assert.Equal(3, statuses.Select(s => s.Silo).Distinct().Count());
        Assert.Equal([0, 1, 2], statuses.Select(s => s.Index));
    }

    [Fact]
    public async Task Concurrent_writes_on_every_copy_converge_to_the_latest_write_of_each_key()
    {
        var group = new CopyGroup(fixture.Client, "mp-registers");
        const int keys = 12;
        const int writesPerCopy = 60;
        var writes = new ConcurrentBag<(string Key, string? Value, HlcTimestamp Stamp)>();

        await Task.WhenAll(Enumerable.Range(0, group.Count).Select(async copy =>
        {
            for (var n = 0; n < writesPerCopy; n++)
            {
                var key = $"k{((n * 7) + copy) % keys}";
                if (n % 10 == 9)
                {
                    writes.Add((key, null, (await group[copy].Delete(key, group.One)).Timestamp));
                }
                else
                {
                    var value = $"c{copy}-n{n}";
                    writes.Add((key, value, (await group[copy].Set(key, Encoding.UTF8.GetBytes(value), group.One)).Timestamp));
                }
            }
        }));

        Assert.Equal(writes.Count, writes.Select(w => w.Stamp).Distinct().Count());
        await group.ConvergedAsync(Deadline, keys);
        foreach (var byKey in writes.GroupBy(w => w.Key))
        {
            var latest = byKey.MaxBy(w => w.Stamp);
            foreach (var copy in group.Copies)
            {
                var read = await copy.Get(byKey.Key, group.Local);
                Assert.Equal(latest.Stamp, read.Timestamp);
                Assert.Equal(latest.Value, read.Value is null ? null : Encoding.UTF8.GetString(read.Value));
            }
        }
    }

    [Fact]
    public async Task Concurrent_increments_and_decrements_on_every_copy_sum_exactly()
    {
        var group = new CopyGroup(fixture.Client, "mp-counters");
        long expected = 0;
        await Task.WhenAll(Enumerable.Range(0, group.Count * 2).Select(async worker =>
        {
            var copy = group[worker % group.Count];
            for (var n = 0; n < 80; n++)
            {
                var amount = (n % 5) + 1;
                if (n % 4 == 3)
                {
                    await copy.Decrement("hits", amount, group.One);
                    Interlocked.Add(ref expected, -amount);
                }
                else
                {
                    await copy.Increment("hits", amount, group.One);
                    Interlocked.Add(ref expected, amount);
                }
            }
        }));

        await group.ConvergedAsync(Deadline, keys: 1);
        foreach (var copy in group.Copies)
        {
            Assert.Equal(expected, (await copy.GetCounter("hits", group.Local)).Value);
        }

        Assert.Equal(new CounterRead(expected, 3), await group[1].GetCounter("hits", new MultiPrimaryRead(3, 3)));
    }

    [Fact]
    public async Task An_add_concurrent_with_a_remove_wins_and_an_observed_remove_stays()
    {
        var group = new CopyGroup(fixture.Client, "mp-sets");
        await group[0].AddElements("tags", ["x", "y"], group.All);

        // A state of copy 2 taken before the remove, plus an add made there: the remove below never sees that add, as
        // happens when copy 2 is cut off from copy 1 while both take writes.
        var beforeRemove = (await group[2].ReadEntry(group.Count, "tags"))!;
        var concurrentAdd = beforeRemove with { Set = beforeRemove.Set!.Add("partitioned-writer", "x") };

        await group[1].RemoveElements("tags", ["x"], group.All);
        foreach (var copy in group.Copies)
        {
            Assert.Equal(["y"], (await copy.GetSet("tags", group.Local)).Elements);
        }

        await group[2].MergeEntries(group.Count, new Dictionary<string, ReplicatedValue> { ["tags"] = concurrentAdd });
        await group.ConvergedAsync(Deadline, keys: 1);
        foreach (var copy in group.Copies)
        {
            Assert.Equal(["x", "y"], (await copy.GetSet("tags", group.Local)).Elements);
        }

        // A remove that has seen every add of x wins, and a late duplicate of the old add cannot bring x back.
        await group[0].RemoveElements("tags", ["x"], group.All);
        await group[1].MergeEntries(group.Count, new Dictionary<string, ReplicatedValue> { ["tags"] = concurrentAdd });
        await group.ConvergedAsync(Deadline, keys: 1);
        foreach (var copy in group.Copies)
        {
            Assert.Equal(["y"], (await copy.GetSet("tags", group.Local)).Elements);
        }
    }

    [Fact]
    public async Task A_state_only_one_copy_holds_reaches_every_copy_by_anti_entropy()
    {
        var group = new CopyGroup(fixture.Client, "mp-anti-entropy");
        await group[0].Set("seed", [0], group.All);

        // States merged into copy 1 through the replication protocol alone: no write pushes them anywhere else.
        var injected = Enumerable.Range(0, 200).ToDictionary(
            n => $"key-{n}",
            n => new ReplicatedValue(new LwwRegister(new HlcTimestamp(1_000 + n, 0, "elsewhere"), [(byte)n]), PNCounter.Empty.Increment("elsewhere", n + 1), null));
        await group[1].MergeEntries(group.Count, injected);

        var statuses = await group.ConvergedAsync(Deadline, keys: 201);
        Assert.Single(statuses.Select(s => s.Digest).Distinct());
        foreach (var copy in group.Copies)
        {
            Assert.Equal([199], (await copy.Get("key-199", group.Local)).Value);
            Assert.Equal(200, (await copy.GetCounter("key-199", group.Local)).Value);
        }
    }

    [Fact]
    public async Task SyncNow_brings_a_copy_up_to_date_before_it_returns()
    {
        var group = new CopyGroup(fixture.Client, "mp-sync-now");
        var injected = Enumerable.Range(0, 50).ToDictionary(
            n => $"key-{n}", n => new ReplicatedValue(null, null, ORSet.Empty.Add("elsewhere", $"e{n}")));
        await group[1].MergeEntries(group.Count, injected);

        await group[0].SyncNow(group.Count);
        var statuses = await group.StatusesAsync();
        Assert.Equal(50, statuses[0].Keys);
        Assert.Equal(statuses[1].Digest, statuses[0].Digest);
        Assert.Equal(["e7"], (await group[0].GetSet("key-7", group.Local)).Elements);
    }

    [Fact]
    public async Task A_read_of_several_copies_returns_the_newest_state_and_repairs_the_reader()
    {
        var group = new CopyGroup(fixture.Client, "mp-repair");
        var first = await group[0].Set("k", [1], group.All);

        // A newer write that reached copy 1 only (pushed there by a writer that then failed).
        var newer = new LwwRegister(first.Timestamp with { WallTimeMs = first.Timestamp.WallTimeMs + 1 }, [2]);
        await group[1].MergeEntries(group.Count, new Dictionary<string, ReplicatedValue> { ["k"] = new(newer, null, null) });

        var read = await group[0].Get("k", new MultiPrimaryRead(3, 3));
        Assert.Equal([2], read.Value);
        Assert.Equal(newer.Timestamp, read.Timestamp);
        Assert.Equal(3, read.CopiesRead);
        Assert.Equal([2], (await group[0].Get("k", group.Local)).Value);
        await Eventually.UntilAsync(
            async () => (await group[2].Get("k", group.Local)).Value is [2], Deadline, "copy 2 is repaired");
    }

    [Fact]
    public async Task Writes_acknowledged_by_all_copies_are_on_every_copy_at_once()
    {
        var group = new CopyGroup(fixture.Client, "mp-all");
        var write = await group[1].Set("k", [7], group.All);
        Assert.Equal(3, write.Acks);
        foreach (var copy in group.Copies)
        {
            var read = await copy.Get("k", group.Local);
            Assert.Equal([7], read.Value);
            Assert.Equal(write.Timestamp, read.Timestamp);
        }

        var deleted = await group[2].Delete("k", group.All);
        foreach (var copy in group.Copies)
        {
            var read = await copy.Get("k", group.Local);
            Assert.Null(read.Value);
            Assert.Equal(deleted.Timestamp, read.Timestamp);
        }
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_argument_exceptions()
    {
        var group = new CopyGroup(fixture.Client, "mp-bad-input");
        var copy = group[0];
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("", [1], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("bad key!", [1], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set(new string('k', 257), [1], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("k", null!, group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("k", new byte[MultiPrimaryLimits.DefaultMaxValueBytes + 1], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("k", [1], new MultiPrimaryWrite(3, 0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("k", [1], new MultiPrimaryWrite(3, 4)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Set("k", [1], new MultiPrimaryWrite(8, 1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Get("k", new MultiPrimaryRead(3, 0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Increment("c", 0, group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.Decrement("c", -5, group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.AddElements("s", [], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.AddElements("s", [""], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => copy.RemoveElements("s", [new string('e', MultiPrimaryLimits.MaxElementLength + 1)], group.One));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => group[2].Set("k", [1], new MultiPrimaryWrite(2, 1)));
        Assert.Throws<ArgumentException>(() => MultiPrimaryKeys.Copy("bad group!", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiPrimaryKeys.Copy("g", MultiPrimaryLimits.MaxCopies));

        // Nothing was written by the rejected calls.
        Assert.Equal(0, (await copy.GetStatus(3)).Keys);
    }
}
