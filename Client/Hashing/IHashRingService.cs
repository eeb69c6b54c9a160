using OrleansSync.Hashing;

namespace OrleansSync.Client.Hashing;

/// <summary>
/// Rings of application nodes (e.g. cache servers) kept in the cluster, with owners computed locally: the service
/// caches each ring it has used as a <see cref="ConsistentHashRing{TNode}"/> and follows the ring's change stream,
/// so <see cref="GetOwnerAsync"/> costs no cluster call once the ring is cached.
/// </summary>
/// <remarks>
/// The cache never goes back in version, and a change made through this service is in the cache before the call
/// returns. Changes made elsewhere arrive with the stream notification (on the embedded profile's memory streams,
/// at once; on durable streams, after the provider's delivery delay).
/// </remarks>
public interface IHashRingService
{
    /// <summary>Adds <paramref name="node"/> to <paramref name="ring"/> (creating the ring), or changes its weight.</summary>
    /// <param name="ring">The ring name (1–256 characters of <c>[A-Za-z0-9._:/-]</c>).</param>
    /// <param name="node">The node id, a name under the same rule.</param>
    /// <param name="weight">1 to <see cref="HashRingLayout.MaxWeight"/> (default 1).</param>
    /// <param name="cancellationToken">Cancels the wait for the cluster.</param>
    /// <returns>The ring after the change.</returns>
    /// <exception cref="ArgumentException">A name is invalid or the weight is out of range.</exception>
    Task<HashRingSnapshot> AddNodeAsync(string ring, string node, int weight = 1, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="node"/> from <paramref name="ring"/>; removing an absent node changes nothing.</summary>
    /// <param name="ring">The ring name.</param>
    /// <param name="node">The node id.</param>
    /// <param name="cancellationToken">Cancels the wait for the cluster.</param>
    /// <returns>The ring after the change.</returns>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    Task<HashRingSnapshot> RemoveNodeAsync(string ring, string node, CancellationToken cancellationToken = default);

    /// <summary>The ring as this client knows it (the cached snapshot; fetched and followed on first use).</summary>
    /// <param name="ring">The ring name.</param>
    /// <param name="cancellationToken">Cancels the wait for the cluster.</param>
    /// <returns>The snapshot; <see cref="HashRingSnapshot.Exists"/> is false for a ring never changed.</returns>
    /// <exception cref="ArgumentException">The ring name is invalid.</exception>
    Task<HashRingSnapshot> GetRingAsync(string ring, CancellationToken cancellationToken = default);

    /// <summary>The node that owns <paramref name="key"/> on <paramref name="ring"/>, or null when the ring has no nodes.</summary>
    /// <param name="ring">The ring name.</param>
    /// <param name="key">Any non-null string; hashed with <see cref="StableKeyHash"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the cluster (only on first use of the ring).</param>
    /// <returns>The owner's node id, or null.</returns>
    /// <exception cref="ArgumentException">The ring name is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    Task<string?> GetOwnerAsync(string ring, string key, CancellationToken cancellationToken = default);

    /// <summary>The first <paramref name="n"/> distinct nodes for <paramref name="key"/> (fewer when the ring is smaller), owner first.</summary>
    /// <param name="ring">The ring name.</param>
    /// <param name="key">Any non-null string.</param>
    /// <param name="n">How many nodes, 1 or more.</param>
    /// <param name="cancellationToken">Cancels the wait for the cluster (only on first use of the ring).</param>
    /// <returns>The node ids in preference order; empty when the ring has no nodes.</returns>
    /// <exception cref="ArgumentException">The ring name is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    Task<IReadOnlyList<string>> GetOwnersAsync(string ring, string key, int n, CancellationToken cancellationToken = default);
}
