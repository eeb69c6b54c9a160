using System.Collections.Concurrent;
using System.Text;
using OrleansSync.Replication.Crdts;
using OrleansSync.Replication.MultiPrimary;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>
/// A silo holding one copy stops while every copy keeps taking writes, then a silo joins again. In the memory profile
/// the stopped copy's data is gone: it comes back empty on another silo and anti-entropy must refill it.
/// </summary>
[Collection(MultiPrimaryClusterCollection.Name)]
public sealed class MultiPrimaryRestartTests(MultiPrimaryClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = MultiPrimaryTestSiloConfigurator.ConvergenceDeadline;
    private const int Keys = 10;
    private const int OldKeys = 10;

    private readonly ConcurrentBag<(string Key, string Value, HlcTimestamp Stamp)> _acknowledged = [];
    private readonly ConcurrentBag<(string Key, string Value)> _attempted = [];
    private long _incrementsAcknowledged;
    private long _incrementsAttempted;

    [Fact]
    public async Task Copies_converge_with_every_majority_write_after_a_silo_stops_and_one_returns()
    {
        var group = new CopyGroup(fixture.Client, "mp-restart");
        await WriteRoundAsync(group, "before");

        // Keys written only before the stop reach a copy that lost its data through anti-entropy alone.
        for (var n = 0; n < OldKeys; n++)
        {
            await group[n % group.Count].Set($"old-{n}", [(byte)n], group.All);
        }

        var before = await group.StatusesAsync();
        var stopped = fixture.Cluster.SecondarySilos[0];
        var victim = before.Single(s => s.Silo == stopped.SiloAddress.ToString());

        await fixture.Cluster.StopSiloAsync(stopped);
        await WriteRoundAsync(group, "down");
        await fixture.Cluster.StartAdditionalSiloAsync();
        await WriteRoundAsync(group, "back");

        var after = await group.ConvergedAsync(Deadline, Keys + OldKeys + 1);
        var reborn = after[victim.Index];
        Assert.NotEqual(victim.Replica, reborn.Replica);
        Assert.NotEqual(victim.Silo, reborn.Silo);

        foreach (var copy in group.Copies)
        {
            for (var n = 0; n < OldKeys; n++)
            {
                var value = (await copy.Get($"old-{n}", group.Local)).Value;
                Assert.NotNull(value);
                Assert.Equal([(byte)n], value);
            }
        }

        // Every copy holds every acknowledged increment (and no more than was attempted).
        foreach (var copy in group.Copies)
        {
            var hits = (await copy.GetCounter("hits", group.Local)).Value;
            Assert.InRange(hits, _incrementsAcknowledged, _incrementsAttempted);
        }

        // Every key holds its latest acknowledged write or a later attempted one, the same on every copy.
        foreach (var byKey in _acknowledged.GroupBy(w => w.Key))
        {
            var latest = byKey.MaxBy(w => w.Stamp);
            var reads = await Task.WhenAll(group.Copies.Select(c => c.Get(byKey.Key, group.Local)));
            Assert.Single(reads.Select(r => r.Timestamp).Distinct());
            var read = reads[0];
            Assert.True(read.Timestamp >= latest.Stamp, $"{byKey.Key}: {read.Timestamp} is older than the acknowledged {latest.Stamp}");
            var value = Encoding.UTF8.GetString(read.Value!);
            Assert.Contains((byKey.Key, value), _attempted);
            if (read.Timestamp == latest.Stamp)
            {
                Assert.Equal(latest.Value, value);
            }
        }

        Assert.True(_acknowledged.Count >= 3 * 3 * 20 / 2, $"only {_acknowledged.Count} writes were acknowledged");
    }

    /// <summary>20 register writes and 20 increments per copy, all copies at once, each acknowledged by a majority.</summary>
    private Task WriteRoundAsync(CopyGroup group, string phase) =>
        Task.WhenAll(Enumerable.Range(0, group.Count).Select(async copy =>
        {
            for (var n = 0; n < 20; n++)
            {
                var key = $"k{(n + copy) % Keys}";
                var value = $"{phase}-c{copy}-n{n}";
                _attempted.Add((key, value));
                try
                {
                    var write = await group[copy].Set(key, Encoding.UTF8.GetBytes(value), group.Majority);
                    _acknowledged.Add((key, value, write.Timestamp));
                }
                catch (Exception ex) when (ex is not ArgumentException)
                {
                    // Not acknowledged (a copy's silo was stopping): it may or may not survive, and is checked as such.
                }

                Interlocked.Increment(ref _incrementsAttempted);
                try
                {
                    await group[copy].Increment("hits", 1, group.Majority);
                    Interlocked.Increment(ref _incrementsAcknowledged);
                }
                catch (Exception ex) when (ex is not ArgumentException)
                {
                    // As above.
                }
            }
        }));
}
