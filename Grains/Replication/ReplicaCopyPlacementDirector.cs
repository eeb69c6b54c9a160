using Orleans.Runtime.Placement;
using OrleansSync.Hashing;

namespace OrleansSync.Replication;

/// <summary>
/// Puts copy <c>i</c> of group <c>g</c> on <c>preferenceList(g)[i mod silos]</c>. The ring of the last compatible set is
/// cached, so only a membership change costs a rebuild.
/// </summary>
internal sealed class ReplicaCopyPlacementDirector : IPlacementDirector
{
    private SiloRing? _ring;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compatible = context.GetCompatibleSilos(target);
        if (compatible.Length == 0)
        {
            throw new OrleansException($"No compatible silo to place {target.GrainIdentity} on.");
        }

        var ring = Ring(compatible);
        return Task.FromResult(SiloFor(ring, target.GrainIdentity.Key.ToString()));
    }

    /// <summary>The silo of the copy with grain key <paramref name="key"/> on <paramref name="ring"/>.</summary>
    internal static SiloAddress SiloFor(SiloRing ring, string? key)
    {
        if (!ReplicaCopyKey.TryParse(key, out var group, out var index))
        {
            // Not a copy key: fall back to the ring owner of the whole key, still deterministic.
            return ring.Ring.GetOwner(key ?? string.Empty);
        }

        var preference = ring.Ring.GetPreferenceList(group, ring.Ring.Count);
        return preference[index % preference.Count];
    }

    private SiloRing Ring(SiloAddress[] silos)
    {
        var ring = _ring;
        if (ring is not null && ring.Matches(silos))
        {
            return ring;
        }

        ring = SiloRing.Build(silos);
        _ring = ring;
        return ring;
    }
}
