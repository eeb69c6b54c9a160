namespace OrleansSync.Tests.Postgres;

/// <summary>A test grain whose only state is a counter persisted in the ADO.NET grain storage on PostgreSQL.</summary>
public interface IPgCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one and writes the state.</summary>
    /// <returns>The new value.</returns>
    Task<int> IncrementAsync();

    /// <summary>Gets the value held by the activation (read from storage when it activated).</summary>
    /// <returns>The value.</returns>
    Task<int> GetValueAsync();

    /// <summary>Gets the ETag of the activation's state.</summary>
    /// <returns>The ETag, or null before the first write.</returns>
    Task<string?> GetETagAsync();
}
