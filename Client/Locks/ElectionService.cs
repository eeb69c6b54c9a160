using OrleansSync.Locks;

namespace OrleansSync.Client.Locks;

/// <inheritdoc cref="IElectionService"/>
internal sealed class ElectionService(LeaseClient leases) : IElectionService
{
    public async Task<LeaseHandle> CampaignAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default)
    {
        var wait = LeaseClient.ValidateTimeout(timeout, Timeout.InfiniteTimeSpan);
        return await leases.TryAcquireAsync(Grain(name), LeaseMode.Exclusive, 1, wait, options, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Not elected leader of '{name}' within {wait}.");
    }

    public Task<LeaseHandle?> TryCampaignAsync(string name, TimeSpan? timeout = null, LockOptions? options = null, CancellationToken cancellationToken = default) =>
        leases.TryAcquireAsync(Grain(name), LeaseMode.Exclusive, 1, LeaseClient.ValidateTimeout(timeout, TimeSpan.Zero), options, cancellationToken);

    public async Task<LeaderInfo?> GetLeaderAsync(string name, CancellationToken cancellationToken = default)
    {
        var info = await Grain(name).Describe().WaitAsync(cancellationToken).ConfigureAwait(false);
        return info.Holders is [var leader, ..] ? new LeaderInfo(info.Name, leader.Owner, leader.Token, leader.ExpiresAt) : null;
    }

    private IElectionGrain Grain(string name) => leases.GetGrain<IElectionGrain>(name);
}
