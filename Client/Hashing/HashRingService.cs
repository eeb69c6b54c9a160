using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using OrleansSync.Hashing;
using OrleansSync.Naming;

namespace OrleansSync.Client.Hashing;

/// <inheritdoc cref="IHashRingService"/>
internal sealed partial class HashRingService(IClusterClient client, ILogger<HashRingService> logger) : IHashRingService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FollowedRing> _rings = new(StringComparer.Ordinal);

    public async Task<HashRingSnapshot> AddNodeAsync(string ring, string node, int weight = 1, CancellationToken cancellationToken = default)
    {
        ResourceName.Validate(ring, nameof(ring));
        ResourceName.Validate(node, nameof(node));
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, HashRingLayout.MaxWeight);
        var snapshot = await client.GetGrain<IHashRingGrain>(ring).AddOrUpdateNode(node, weight).WaitAsync(cancellationToken).ConfigureAwait(false);
        Entry(ring).Install(snapshot);
        return snapshot;
    }

    public async Task<HashRingSnapshot> RemoveNodeAsync(string ring, string node, CancellationToken cancellationToken = default)
    {
        ResourceName.Validate(ring, nameof(ring));
        ResourceName.Validate(node, nameof(node));
        var snapshot = await client.GetGrain<IHashRingGrain>(ring).RemoveNode(node).WaitAsync(cancellationToken).ConfigureAwait(false);
        Entry(ring).Install(snapshot);
        return snapshot;
    }

    public async Task<HashRingSnapshot> GetRingAsync(string ring, CancellationToken cancellationToken = default) =>
        (await CurrentAsync(ring, cancellationToken).ConfigureAwait(false)).Snapshot;

    public async Task<string?> GetOwnerAsync(string ring, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var current = await CurrentAsync(ring, cancellationToken).ConfigureAwait(false);
        return current.Ring.Count == 0 ? null : current.Ring.GetOwner(key);
    }

    public async Task<IReadOnlyList<string>> GetOwnersAsync(string ring, string key, int n, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var current = await CurrentAsync(ring, cancellationToken).ConfigureAwait(false);
        return current.Ring.Count == 0 ? [] : current.Ring.GetPreferenceList(key, n);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _rings.Values)
        {
            await entry.StopFollowingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The newest version this client holds of <paramref name="ring"/> (for tests).</summary>
    internal long CachedVersion(string ring) => _rings.TryGetValue(ring, out var entry) ? entry.Current?.Snapshot.Version ?? -1 : -1;

    private async ValueTask<CachedRing> CurrentAsync(string ring, CancellationToken cancellationToken)
    {
        ResourceName.Validate(ring, nameof(ring));
        var entry = Entry(ring);
        await entry.FollowAsync(cancellationToken).ConfigureAwait(false);
        return entry.Current!;
    }

    private FollowedRing Entry(string ring) => _rings.GetOrAdd(ring, static (name, service) => new FollowedRing(name, service), this);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop following ring {Ring}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string ring);

    /// <summary>One ring's cached version, and the stream subscription that keeps it current.</summary>
    private sealed class FollowedRing(string name, HashRingService service)
    {
        private readonly Lock _gate = new();
        private CachedRing? _current;
        private Task? _following;
        private StreamSubscriptionHandle<HashRingSnapshot>? _subscription;

        public CachedRing? Current => Volatile.Read(ref _current);

        /// <summary>Subscribes to the ring's changes, then reads its snapshot (in that order, so no change falls between); once.</summary>
        public Task FollowAsync(CancellationToken cancellationToken)
        {
            Task following;
            lock (_gate)
            {
                if (_following is null || _following.IsFaulted || _following.IsCanceled)
                {
                    _following = StartAsync();
                }

                following = _following;
            }

            return following.IsCompletedSuccessfully ? Task.CompletedTask : following.WaitAsync(cancellationToken);
        }

        /// <summary>Adopts <paramref name="snapshot"/> unless a newer or equal version is already held.</summary>
        public void Install(HashRingSnapshot snapshot)
        {
            while (true)
            {
                var current = Volatile.Read(ref _current);
                if (current is not null && current.Snapshot.Version >= snapshot.Version)
                {
                    return;
                }

                var next = new CachedRing(snapshot, HashRingLayout.Build(snapshot));
                if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
                {
                    return;
                }
            }
        }

        public async Task StopFollowingAsync()
        {
            if (_subscription is { } subscription)
            {
                try
                {
                    await subscription.UnsubscribeAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogUnsubscribeFailed(service.Logger, ex, name);
                }
            }
        }

        private async Task StartAsync()
        {
            var stream = service.Client.GetStreamProvider(ProviderNames.Streams)
                .GetStream<HashRingSnapshot>(StreamId.Create(HashRingStream.Namespace, name));
            _subscription ??= await stream.SubscribeAsync((snapshot, _) =>
            {
                Install(snapshot);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            Install(await service.Client.GetGrain<IHashRingGrain>(name).GetSnapshot().ConfigureAwait(false));
        }
    }

    private IClusterClient Client => client;

    private ILogger Logger => logger;
}
