using System.Collections.Immutable;
using Orleans.Runtime.Placement;

namespace OrleansSync.Hashing;

/// <summary>
/// Places each <see cref="ConsistentHashPlacement"/> grain on the ring owner of its grain id among the compatible
/// silos. The ring is built once per set of compatible silos and kept in an immutable cache, so placements never
/// lock and only a membership (or compatibility) change costs a rebuild.
/// </summary>
internal sealed class ConsistentHashPlacementDirector : IPlacementDirector
{
    // Different grain types (or interface versions) can have different compatible sets during a rolling upgrade,
    // so a few rings are kept; the oldest is dropped when a new set appears.
    private const int MaxCachedRings = 8;

    private ImmutableArray<SiloRing> _rings = [];

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

        return Task.FromResult(GetRing(compatible).Owner(target.GrainIdentity));
    }

    /// <summary>The ring over <paramref name="silos"/>, from the cache when the same set was seen before.</summary>
    internal SiloRing GetRing(SiloAddress[] silos)
    {
        var rings = _rings;
        foreach (var ring in rings)
        {
            if (ring.Matches(silos))
            {
                return ring;
            }
        }

        var built = SiloRing.Build(silos);
        // Losing a race here only means another thread's equal ring may be dropped; both are correct.
        var next = rings.Length < MaxCachedRings ? rings.Insert(0, built) : rings.RemoveAt(rings.Length - 1).Insert(0, built);
        ImmutableInterlocked.InterlockedExchange(ref _rings, next);
        return built;
    }
}
