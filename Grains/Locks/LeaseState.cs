namespace OrleansSync.Locks;

/// <summary>Persisted state of a lease grain: the fencing-token counter, the limit in use and the holders.</summary>
[GenerateSerializer, Alias("OrleansSync.Locks.LeaseState")]
internal sealed class LeaseState
{
    [Id(0)] public long LastToken { get; set; }

    [Id(1)] public int Limit { get; set; }

    [Id(2)] public List<LeaseHolder> Holders { get; set; } = [];
}
