namespace OrleansSync.Silo.Api.Queues;

/// <summary>Ids of the published messages in request order.</summary>
internal sealed record PublishResponse(IReadOnlyList<string> Ids);
