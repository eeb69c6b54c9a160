namespace OrleansSync.Silo.Api.Replicas;

/// <summary>A counter read: increments minus decrements (0 if never changed).</summary>
internal sealed record CounterResponse(long Value);
