using Orleans.Runtime.Placement;
using OrleansSync.Hashing;

namespace OrleansSync.Replication.MultiPrimary;

/// <summary>Places <see cref="MultiPrimaryCopyPlacement"/> grains; see that type.</summary>
internal sealed class MultiPrimaryCopyPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint)
        {
            return Task.FromResult(hint);
        }

        if (compatible.Length == 0)
        {
            throw new OrleansException($"No compatible silo to place {target.GrainIdentity} on.");
        }

        // Placement runs once per copy activation, so building the ring here costs far less than caching it would save.
        var (group, index) = MultiPrimaryKeys.Parse(target.GrainIdentity.Key.ToString()!);
        var ring = SiloRing.Build(compatible).Ring;
        var preference = ring.GetPreferenceList(StableKeyHash.Hash64(group), ring.Count);
        return Task.FromResult(preference[index % preference.Count]);
    }
}
