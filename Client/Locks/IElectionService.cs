namespace OrleansSync.Client.Locks;

/// <summary>
/// Leader election: a candidate campaigns and, once elected, holds leadership as a leased handle whose
/// <see cref="LeaseHandle.FencingToken"/> is its term. Candidates queue FIFO; resigning (disposing the handle) or a lost
/// lease elects the next one.
/// </summary>
public interface IElectionService
{
    /// <summary>Campaigns for <paramref name="name"/>, waiting up to <paramref name="timeout"/> (null = for ever).</summary>
    /// <param name="name">The election name.</param>
    /// <param name="timeout">How long to wait to be elected; <see cref="Timeout.InfiniteTimeSpan"/> or null = for ever.</param>
    /// <param name="options">Owner (the candidate's identity), lease and renewal.</param>
    /// <param name="cancellationToken">Withdraws the candidacy.</param>
    /// <returns>The leadership; dispose it to resign.</returns>
    /// <exception cref="ArgumentException">Invalid name or timeout.</exception>
    /// <exception cref="TimeoutException">Not elected within <paramref name="timeout"/>.</exception>
    Task<LeaseHandle> CampaignAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Campaigns once or within <paramref name="timeout"/> (null = once); null when not elected.</summary>
    /// <inheritdoc cref="CampaignAsync"/>
    Task<LeaseHandle?> TryCampaignAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The current leader and term, or null when there is none.</summary>
    /// <exception cref="ArgumentException">Invalid name.</exception>
    Task<LeaderInfo?> GetLeaderAsync(string name, CancellationToken cancellationToken = default);
}
