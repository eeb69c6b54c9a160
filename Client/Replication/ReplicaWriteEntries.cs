using System.Collections.Concurrent;
using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// This client's ways into the cluster by silo: which <see cref="IReplicaWriteEntryGrain"/> key runs on which silo. An
/// Orleans client sends each grain's calls through one gateway it picked for that grain, and a stateless worker runs on
/// the silo that received the call, so each key enters at one silo; keys are asked in turn until one enters at the silo
/// wanted. A key whose gateway changed since (a gateway died) still works, through one more hop between silos.
/// </summary>
internal sealed class ReplicaWriteEntries(IClusterClient client)
{
    /// <summary>Keys asked at most per round: with g gateways picked in turn, the first g keys usually cover them all.</summary>
    private const int MaxProbes = 16;

    /// <summary>After a round that did not find a silo, no new round starts for this long (a silo inside a client of its own cluster finds only itself).</summary>
    private static readonly TimeSpan RoundEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<SiloAddress, long> _keyBySilo = new();
    private readonly SemaphoreSlim _probing = new(1, 1);
    private int _probed;
    private long _roundStartedAt;
    private volatile bool _restart;

    /// <summary>An entry that runs on <paramref name="silo"/>, or null when none was found among the keys asked.</summary>
    public async Task<IReplicaWriteEntryGrain?> FindAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        if (_keyBySilo.TryGetValue(silo, out var known))
        {
            return client.GetGrain<IReplicaWriteEntryGrain>(known);
        }

        await _probing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_restart || (_probed >= MaxProbes && Environment.TickCount64 - _roundStartedAt >= RoundEvery.TotalMilliseconds))
            {
                _restart = false;
                _keyBySilo.Clear();
                _probed = 0;
            }

            if (_probed == 0)
            {
                _roundStartedAt = Environment.TickCount64;
            }

            while (!_keyBySilo.TryGetValue(silo, out known))
            {
                if (_probed >= MaxProbes)
                {
                    return null;
                }

                var key = _probed++;
                var at = await client.GetGrain<IReplicaWriteEntryGrain>(key).GetSilo().WaitAsync(cancellationToken).ConfigureAwait(false);
                _keyBySilo.TryAdd(at, key);
            }

            return client.GetGrain<IReplicaWriteEntryGrain>(known);
        }
        finally
        {
            _probing.Release();
        }
    }

    /// <summary>Drops what is known about <paramref name="silo"/> (a call through its entry failed): the next round asks again.</summary>
    public void Forget(SiloAddress silo)
    {
        if (_keyBySilo.TryRemove(silo, out _))
        {
            _restart = true;
        }
    }
}
