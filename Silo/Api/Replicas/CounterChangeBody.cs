namespace OrleansSync.Silo.Api.Replicas;

/// <summary><c>POST /v1/replicas/{group}/counters/{key}</c> body: the amount to add (negative subtracts; default 1) and the write consistency.</summary>
internal sealed record CounterChangeBody(long? Delta, string? Write);
