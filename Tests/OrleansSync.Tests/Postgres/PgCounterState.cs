namespace OrleansSync.Tests.Postgres;

/// <summary>The persisted state of <see cref="PgCounterGrain"/>.</summary>
[GenerateSerializer]
public sealed class PgCounterState
{
    /// <summary>Gets or sets the counter value.</summary>
    [Id(0)]
    public int Value { get; set; }
}
