using System.Diagnostics.Metrics;

namespace OrleansSync.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> every capability records on. Exporters subscribe to it by <see cref="Name"/> (the Silo
/// host serves it at <c>/metrics</c> beside Orleans' own meter); without a listener the instruments cost next to nothing.
/// </summary>
public static class OrleansSyncMeter
{
    /// <summary>The meter name to subscribe to: <c>OrleansSync</c>.</summary>
    public const string Name = "OrleansSync";

    internal static Meter Meter { get; } = new(Name, typeof(OrleansSyncMeter).Assembly.GetName().Version?.ToString());
}
