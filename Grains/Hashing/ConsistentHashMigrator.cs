using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Core.Internal;

namespace OrleansSync.Hashing;

/// <summary>
/// With <see cref="ConsistentHashPlacementOptions.MigrateOnMembershipChange"/>: tracks this silo's activations of
/// <c>[ConsistentHashPlacement]</c> grains and, after each membership change, asks those whose ring owner is another
/// silo to migrate when idle. The migration itself runs the placement director again, so a stale view here costs
/// at most a no-op request; the check is repeated a few times after a change because silos learn of a new member's
/// grain types a little after its membership.
/// </summary>
internal sealed partial class ConsistentHashMigrator(
    IOptions<ConsistentHashPlacementOptions> options,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    ILogger<ConsistentHashMigrator> logger) : IActivationWorkingSetObserver, ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] SweepDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15)];

    private readonly ConcurrentDictionary<GrainId, byte> _local = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void OnAdded(IActivationWorkingSetMember member) => Track(member);

    public void OnActive(IActivationWorkingSetMember member) => Track(member);

    public void OnDeactivating(IActivationWorkingSetMember member) => Untrack(member);

    public void OnDeactivated(IActivationWorkingSetMember member) => Untrack(member);

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (!options.Value.MigrateOnMembershipChange)
        {
            return;
        }

        lifecycle.Subscribe(
            nameof(ConsistentHashMigrator),
            ServiceLifecycleStage.Active,
            _ =>
            {
                _loop = Task.Run(() => FollowMembershipAsync(_stopping.Token));
                return Task.CompletedTask;
            },
            async _ =>
            {
                await _stopping.CancelAsync().ConfigureAwait(false);
                if (_loop is not null)
                {
                    await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            });
    }

    private void Track(IActivationWorkingSetMember member)
    {
        if (options.Value.MigrateOnMembershipChange && member is IGrainContext { GrainInstance: { } grain } context &&
            grain.GetType().IsDefined(typeof(ConsistentHashPlacementAttribute), inherit: true))
        {
            _local.TryAdd(context.GrainId, 0);
        }
    }

    private void Untrack(IActivationWorkingSetMember member)
    {
        if (member is IGrainContext context)
        {
            _local.TryRemove(context.GrainId, out _);
        }
    }

    private async Task FollowMembershipAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? sweeps = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (sweeps is not null)
                {
                    await sweeps.CancelAsync().ConfigureAwait(false);
                    sweeps.Dispose();
                }

                sweeps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _ = SweepAfterChangeAsync(sweeps.Token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            sweeps?.Dispose();
        }
    }

    private async Task SweepAfterChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var waited = TimeSpan.Zero;
            foreach (var delay in SweepDelays)
            {
                await Task.Delay(delay - waited, cancellationToken).ConfigureAwait(false);
                waited = delay;
                await SweepAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SweepAsync()
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToArray();
        if (active.Length == 0 || _local.IsEmpty)
        {
            return;
        }

        var ring = SiloRing.Build(active);
        var here = localSilo.SiloAddress;
        var requests = _local.Keys.Where(id => !ring.Owner(id).Equals(here)).ToArray();
        if (requests.Length == 0)
        {
            return;
        }

        LogMigrating(logger, requests.Length, active.Length);
        foreach (var id in requests)
        {
            try
            {
                await grains.GetGrain(id).Cast<IGrainManagementExtension>().MigrateOnIdle().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogMigrateFailed(logger, ex, id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asking {Count} [ConsistentHashPlacement] activations to move to their ring owners among {Silos} active silos")]
    private static partial void LogMigrating(ILogger logger, int count, int silos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask {GrainId} to migrate to its ring owner")]
    private static partial void LogMigrateFailed(ILogger logger, Exception exception, GrainId grainId);
}
