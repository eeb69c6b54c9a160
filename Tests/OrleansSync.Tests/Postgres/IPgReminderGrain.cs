namespace OrleansSync.Tests.Postgres;

/// <summary>A test grain that registers a reminder in the ADO.NET reminder table on PostgreSQL.</summary>
public interface IPgReminderGrain : IGrainWithStringKey
{
    /// <summary>Registers (or updates) the grain's reminder.</summary>
    /// <param name="dueTime">Time to the first tick.</param>
    /// <param name="period">Time between ticks.</param>
    /// <returns>A task that completes when the reminder is stored.</returns>
    Task StartAsync(TimeSpan dueTime, TimeSpan period);

    /// <summary>Unregisters the grain's reminder if it exists.</summary>
    /// <returns>A task that completes when the reminder is removed.</returns>
    Task StopAsync();
}
