using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Streams;
using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// One <see cref="IReplicaService.WatchAsync"/> enumeration: subscribe to the group's stream first (so nothing published
/// from then on is missed), read what is missing, then follow the stream. A primary-backup group's versions are one
/// gap-free sequence, so a gap in the stream is filled by reading again. A multi-primary group's versions are per-key
/// clock stamps with no single order: a change is delivered when it is newer than what was delivered for its key, and
/// the watcher reads again whenever the stream goes quiet. Reading also keeps a primary-backup group publishing (see
/// <see cref="ReplicaFeedStream.KeepPublishedEvery"/>), so the watcher reads at least that often even on a busy stream.
/// </summary>
internal sealed class ReplicaChangeWatcher(IClusterClient client, string group, long fromVersion)
{
    /// <summary>After this long without a stream event the watcher reads anyway (stream events are not durable).</summary>
    private static readonly TimeSpan QuietPoll = TimeSpan.FromSeconds(5);

    private const int PageSize = ReplicaLimits.MaxChangesPerRead;

    private readonly Channel<ReplicaChangeBatch> _live = Channel.CreateUnbounded<ReplicaChangeBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MultiPrimaryFeedCursor _perKey = new(fromVersion);
    private long _last = fromVersion;
    private readonly System.Diagnostics.Stopwatch _sinceRead = new();
    private bool _sequenced = true;

    public async IAsyncEnumerable<ReplicaChange> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = client.GetGrain<IReplicaGroupGrain>(group);
        var stream = client.GetStreamProvider(ProviderNames.Streams)
            .GetStream<ReplicaChangeBatch>(StreamId.Create(ReplicaFeedStream.Namespace, ReplicaFeedStream.Key(group)));
        var subscription = await stream.SubscribeAsync((batch, _) =>
        {
            _live.Writer.TryWrite(batch);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        try
        {
            await foreach (var change in ReadMissingAsync(grain, cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }

            while (true)
            {
                if (_sinceRead.Elapsed >= ReplicaFeedStream.KeepPublishedEvery)
                {
                    // A busy stream never goes quiet: read anyway now and then, which keeps the primary publishing.
                    await foreach (var change in ReadMissingAsync(grain, cancellationToken).ConfigureAwait(false))
                    {
                        yield return change;
                    }
                }

                ReplicaChangeBatch? batch = null;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    quiet.CancelAfter(QuietPoll);
                    try
                    {
                        batch = await _live.Reader.ReadAsync(quiet.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Quiet for a while: a lost event would otherwise hide changes until the next write.
                    }
                }

                var changes = batch is null
                    ? ReadMissingAsync(grain, cancellationToken)
                    : _sequenced ? FollowSequenceAsync(grain, batch, cancellationToken) : FollowPerKey(batch).ToAsyncEnumerable();
                await foreach (var change in changes.ConfigureAwait(false))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            try
            {
                await subscription.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The client may be shutting down; the subscription dies with it.
                _ = ex;
            }
        }
    }

    private async IAsyncEnumerable<ReplicaChange> FollowSequenceAsync(IReplicaGroupGrain grain, ReplicaChangeBatch batch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var change in batch.Changes)
        {
            if (change.Version <= _last)
            {
                continue;
            }

            if (change.Version > _last + 1)
            {
                // A gap: events were lost or published before we subscribed. The primary has them.
                await foreach (var missing in ReadMissingAsync(grain, cancellationToken).ConfigureAwait(false))
                {
                    yield return missing;
                }

                if (change.Version <= _last)
                {
                    continue;
                }
            }

            _last = change.Version;
            yield return change;
        }
    }

    private IEnumerable<ReplicaChange> FollowPerKey(ReplicaChangeBatch batch) => batch.Changes.Where(_perKey.TryDeliver);

    private async IAsyncEnumerable<ReplicaChange> ReadMissingAsync(IReplicaGroupGrain grain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _sinceRead.Restart();
        var after = _sequenced ? _last : _perKey.ReadFrom;
        while (true)
        {
            var page = await grain.ReadChanges(after, PageSize, cancellationToken).ConfigureAwait(false);
            _sequenced = page.Sequenced;
            foreach (var change in page.Changes)
            {
                if (page.Sequenced ? change.Version > _last : _perKey.TryDeliver(change))
                {
                    _last = Math.Max(_last, change.Version);
                    yield return change;
                }
            }

            if (!page.Sequenced)
            {
                _perKey.Read(page.CommittedVersion);
                after = page.CommittedVersion;
                if (!page.More)
                {
                    yield break;
                }
            }
            else
            {
                after = _last;
                if (page.Changes.Count < PageSize)
                {
                    yield break;
                }
            }
        }
    }
}
