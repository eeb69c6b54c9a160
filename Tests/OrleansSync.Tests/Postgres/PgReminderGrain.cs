namespace OrleansSync.Tests.Postgres;

/// <summary>Implements <see cref="IPgReminderGrain"/>; every tick is reported to <see cref="PgReminderTicks"/>.</summary>
public sealed class PgReminderGrain : Grain, IPgReminderGrain, IRemindable
{
    /// <summary>The name of the reminder this grain registers.</summary>
    public const string ReminderName = "pg-test-reminder";

    /// <inheritdoc />
    public Task StartAsync(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    /// <inheritdoc />
    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        PgReminderTicks.Record(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}
