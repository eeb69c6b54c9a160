using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansSync.Client.Locks;
using OrleansSync.Tests.Infrastructure;
using Xunit.Abstractions;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

/// <summary>32 clients contend for one lock in the 3-silo cluster for 10 s while a checker records every critical section.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LockContentionTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 32;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Thirty_two_clients_never_overlap_get_increasing_tokens_and_are_served_fifo()
    {
        var leases = Leases(fixture);
        var locks = new LockService(leases);
        var name = UniqueName("locks/contention");
        var clock = Stopwatch.StartNew();
        var sentAt = new ConcurrentDictionary<string, long>();
        var queuedAt = new ConcurrentDictionary<string, long>();
        leases.OnQueued = request => queuedAt[request.Owner] = clock.ElapsedTicks;

        var sections = new List<Section>();
        var gate = new object();
        var inside = 0;
        var overlaps = 0;

        async Task RunClient(int client)
        {
            for (var i = 0; clock.Elapsed < Duration; i++)
            {
                var owner = $"c{client}-{i}";
                sentAt[owner] = clock.ElapsedTicks;
                await using var handle = await locks.AcquireAsync(name, TimeSpan.FromSeconds(30), Options(owner, TimeSpan.FromSeconds(10)));
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                lock (gate)
                {
                    sections.Add(new Section(client, owner, handle.FencingToken));
                }

                await Task.Yield();
                Assert.False(handle.IsLost);
                Interlocked.Decrement(ref inside);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => RunClient(c))));

        output.WriteLine($"{sections.Count} critical sections in {clock.Elapsed.TotalSeconds:0.0} s; {queuedAt.Count} were queued first");
        Assert.Equal(0, overlaps);
        Assert.True(sections.Count > Clients * 3, $"only {sections.Count} sections");

        // Tokens strictly increase in the order the sections ran (they never overlap, so the order is total).
        for (var i = 1; i < sections.Count; i++)
        {
            Assert.True(sections[i].Token > sections[i - 1].Token, $"token {sections[i].Token} after {sections[i - 1].Token}");
        }

        // Every client was served.
        Assert.Equal(Clients, sections.Select(s => s.Client).Distinct().Count());

        // FIFO: a request known to be queued before another request was even sent must be served first.
        // Scan grant order backwards keeping the earliest "queued at" of everything served later.
        var earliestQueuedLater = long.MaxValue;
        string? laterOwner = null;
        for (var i = sections.Count - 1; i >= 0; i--)
        {
            var owner = sections[i].Owner;
            Assert.False(
                earliestQueuedLater < sentAt[owner],
                $"{laterOwner} was queued before {owner} was sent, but {owner} was served first");
            if (queuedAt.TryGetValue(owner, out var queued) && queued < earliestQueuedLater)
            {
                earliestQueuedLater = queued;
                laterOwner = owner;
            }
        }

        var status = await locks.GetStatusAsync(name);
        Assert.False(status.Held);
        Assert.Equal(0, status.Waiters);
        Assert.Equal(sections[^1].Token, status.LastToken);
    }

    private sealed record Section(int Client, string Owner, long Token);
}
