namespace OrleansSync.Silo.Api.Replicas;

/// <summary>An acknowledged write: the key's new version and how many copies held it.</summary>
internal sealed record WriteResponse(long Version, int Acks);
