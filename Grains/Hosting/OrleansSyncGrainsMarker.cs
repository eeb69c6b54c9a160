namespace OrleansSync.Hosting;

/// <summary>Marks a service collection that already holds the OrleansSync grain services, so registration runs once.</summary>
internal sealed class OrleansSyncGrainsMarker;
