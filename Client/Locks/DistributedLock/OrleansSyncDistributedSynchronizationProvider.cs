using Medallion.Threading;

namespace OrleansSync.Client.Locks.DistributedLock;

/// <summary>
/// Implements DistributedLock's provider interfaces on OrleansSync, so code written against that library
/// (<see cref="IDistributedLockProvider"/>, <see cref="IDistributedSemaphoreProvider"/>,
/// <see cref="IDistributedReaderWriterLockProvider"/>) switches by changing one registration
/// (<c>services.AddOrleansSyncDistributedLock()</c>). Names that are not valid OrleansSync names are hashed
/// (<c>sha256:…</c>). Handles renew their lease in the background; <c>HandleLostToken</c> works.
/// </summary>
public sealed class OrleansSyncDistributedSynchronizationProvider : IDistributedLockProvider, IDistributedSemaphoreProvider, IDistributedReaderWriterLockProvider
{
    private readonly ILockService _locks;
    private readonly ISemaphoreService _semaphores;
    private readonly IReaderWriterLockService _readerWriterLocks;
    private readonly LockOptions? _options;

    /// <summary>Creates the provider over the OrleansSync services.</summary>
    /// <param name="locks">The lock service.</param>
    /// <param name="semaphores">The semaphore service.</param>
    /// <param name="readerWriterLocks">The reader-writer lock service.</param>
    /// <param name="options">Owner, lease and renewal for every acquire; null = defaults (30 s lease).</param>
    /// <exception cref="ArgumentNullException">A service is null.</exception>
    public OrleansSyncDistributedSynchronizationProvider(ILockService locks, ISemaphoreService semaphores, IReaderWriterLockService readerWriterLocks, LockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(semaphores);
        ArgumentNullException.ThrowIfNull(readerWriterLocks);
        _locks = locks;
        _semaphores = semaphores;
        _readerWriterLocks = readerWriterLocks;
        _options = options;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public IDistributedLock CreateLock(string name) => new OrleansSyncDistributedLock(_locks, Require(name), _options);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is outside 1–10,000.</exception>
    public IDistributedSemaphore CreateSemaphore(string name, int maxCount) => new OrleansSyncDistributedSemaphore(_semaphores, Require(name), maxCount, _options);

    /// <inheritdoc/>
    public IDistributedReaderWriterLock CreateReaderWriterLock(string name) => new OrleansSyncDistributedReaderWriterLock(_readerWriterLocks, Require(name), _options);

    private static string Require(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name;
    }
}
