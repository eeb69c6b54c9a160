using System.Collections.Frozen;

namespace OrleansSync.Hashing;

/// <summary>A consistent hash ring over one set of silos, keyed by each silo's endpoint (host:port).</summary>
internal sealed class SiloRing
{
    private readonly SiloAddress[] _source;
    private readonly FrozenSet<SiloAddress> _members;

    private SiloRing(SiloAddress[] source, ConsistentHashRing<SiloAddress> ring)
    {
        _source = source;
        _members = source.ToFrozenSet();
        Ring = ring;
    }

    /// <summary>The ring; node id = <see cref="NodeId"/>.</summary>
    public ConsistentHashRing<SiloAddress> Ring { get; }

    /// <summary>
    /// A silo's place on the ring: its endpoint without the generation. A silo restarted at the same host:port
    /// is a new <see cref="SiloAddress"/> (new generation) but lands on the same ring points, so it gets back the
    /// grains it owned instead of shuffling a 1/N share twice.
    /// </summary>
    public static string NodeId(SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Endpoint.ToString();
    }

    /// <summary>The ring key of a grain: its id's string form (<c>type/key</c>), hashed with <see cref="StableKeyHash"/>.</summary>
    public static ulong KeyHash(GrainId grainId) => StableKeyHash.Hash64(grainId.ToString());

    public static SiloRing Build(SiloAddress[] silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        // Two generations of one endpoint can briefly both look compatible; the newest one owns the points.
        var distinct = silos
            .GroupBy(NodeId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Generation)!)
            .ToArray();
        var ring = new ConsistentHashRing<SiloAddress>(NodeId).AddRange(distinct);
        return new SiloRing(silos, ring);
    }

    public SiloAddress Owner(GrainId grainId) => Ring.GetOwner(KeyHash(grainId));

    /// <summary>Whether <paramref name="silos"/> is the same set (in any order) this ring was built from.</summary>
    public bool Matches(SiloAddress[] silos)
    {
        if (ReferenceEquals(silos, _source))
        {
            return true;
        }

        if (silos.Length != _source.Length)
        {
            return false;
        }

        foreach (var silo in silos)
        {
            if (!_members.Contains(silo))
            {
                return false;
            }
        }

        return true;
    }
}
