namespace OrleansSync.Silo.Api.Queues;

/// <summary><c>POST …/groups/{group}/seek</c> body: the offset (required) and one partition, or every partition when absent.</summary>
internal sealed record SeekBody(int? Partition, long? Offset);
