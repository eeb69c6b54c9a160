namespace OrleansSync.Hashing;

/// <summary>Silo options of <see cref="ConsistentHashPlacement"/>.</summary>
public sealed class ConsistentHashPlacementOptions
{
    /// <summary>
    /// When true, after every membership change each silo asks its activations of <c>[ConsistentHashPlacement]</c>
    /// grains whose ring owner is now another silo to migrate there when idle (<c>MigrateOnIdle</c>), so locality
    /// returns without waiting for deactivation. Default false: activations stay where they are until they deactivate.
    /// </summary>
    public bool MigrateOnMembershipChange { get; set; }
}
