using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Streams;
using OrleansSync.Replication;

namespace OrleansSync.Client.Replication;

/// <summary>
/// One <see cref="IReplicaService.WatchAsync"/> enumeration: subscribe to the group's stream first (so nothing published
/// from then on is missed), read what is missing from the primary, then follow the stream, filling any gap by version
/// with another read.
/// </summary>
internal sealed class ReplicaChangeWatcher(IClusterClient client, string group, long fromVersion)
{
    /// <summary>After this long without a stream event the watcher reads from the primary anyway (stream events are not durable).</summary>
    private static readonly TimeSpan QuietPoll = TimeSpan.FromSeconds(5);

    private const int PageSize = ReplicaLimits.MaxChangesPerRead;

    private readonly Channel<ReplicaChangeBatch> _live = Channel.CreateUnbounded<ReplicaChangeBatch>(new UnboundedChannelOptions { SingleReader = true });
    private long _last = fromVersion;

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

                if (batch is null)
                {
                    await foreach (var change in ReadMissingAsync(grain, cancellationToken).ConfigureAwait(false))
                    {
                        yield return change;
                    }

                    continue;
                }

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

    private async IAsyncEnumerable<ReplicaChange> ReadMissingAsync(IReplicaGroupGrain grain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await grain.ReadChanges(_last, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var change in page.Changes)
            {
                if (change.Version > _last)
                {
                    _last = change.Version;
                    yield return change;
                }
            }

            if (page.Changes.Count < PageSize)
            {
                yield break;
            }
        }
    }
}
