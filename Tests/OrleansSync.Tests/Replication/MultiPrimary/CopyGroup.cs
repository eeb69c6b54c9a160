using OrleansSync.Replication.MultiPrimary;
using OrleansSync.Tests.Infrastructure;

namespace OrleansSync.Tests.Replication.MultiPrimary;

/// <summary>The copies of one multi-primary group, as a test addresses them.</summary>
internal sealed class CopyGroup(IGrainFactory grains, string group, int copies = 3)
{
    public string Name => group;

    public int Count => copies;

    public MultiPrimaryWrite One => new(copies, 1);

    public MultiPrimaryWrite Majority => new(copies, (copies / 2) + 1);

    public MultiPrimaryWrite All => new(copies, copies);

    public MultiPrimaryRead Local => new(copies, 1);

    public IMultiPrimaryCopyGrain this[int index] => grains.GetGrain<IMultiPrimaryCopyGrain>(MultiPrimaryKeys.Copy(group, index));

    public IEnumerable<IMultiPrimaryCopyGrain> Copies => Enumerable.Range(0, copies).Select(i => this[i]);

    public async Task<CopyStatus[]> StatusesAsync() => await Task.WhenAll(Copies.Select(c => c.GetStatus(copies)));

    /// <summary>Waits until every copy reports the same keys and digest.</summary>
    public Task<CopyStatus[]> ConvergedAsync(TimeSpan deadline, int? keys = null) =>
        Eventually.UntilAsync(
            StatusesAsync,
            statuses => statuses.Select(s => (s.Keys, s.Digest)).Distinct().Count() == 1 && (keys is null || statuses[0].Keys == keys),
            deadline,
            $"all {copies} copies of {group} hold the same data");
}
