using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansSync.Client.Diagnostics;
using OrleansSync.Client.Locks;
using OrleansSync.Tests.Infrastructure;
using static OrleansSync.Tests.Locks.LockTestClients;

namespace OrleansSync.Tests.Locks;

[Collection(ClusterCollection.Name)]
public sealed class LockClientMetricsTests(ClusterFixture fixture) : IDisposable
{
    private readonly ConcurrentQueue<(double Seconds, string Outcome)> _acquires = new();
    private readonly MeterListener _listener = new();

    private LockService Locks { get; } = new(Leases(fixture));

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Acquisitions_are_recorded_with_how_they_ended()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansSyncClientMeter.Name && instrument.Name == "orleanssync.client.lock.acquire.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    _acquires.Enqueue((value, (string)tag.Value!));
                }
            }
        });
        _listener.Start();

        var name = UniqueName("locks/metrics");
        await using (var held = await Locks.AcquireAsync(name, TimeSpan.FromSeconds(15)))
        {
            Assert.Null(await Locks.TryAcquireAsync(name));
            Assert.Null(await Locks.TryAcquireAsync(name, TimeSpan.FromMilliseconds(300)));
        }

        var outcomes = _acquires.ToArray();
        Assert.Contains(outcomes, a => a.Outcome == "granted");
        Assert.Contains(outcomes, a => a.Outcome == "refused");
        Assert.Contains(outcomes, a => a.Outcome == "timed_out" && a.Seconds >= 0.3);
        Assert.All(outcomes, a => Assert.True(a.Seconds >= 0));
    }
}
