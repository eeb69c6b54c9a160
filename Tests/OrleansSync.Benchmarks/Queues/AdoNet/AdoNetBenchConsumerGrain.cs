using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansSync.Benchmarks.Queues.AdoNet;

/// <summary>
/// Counts the events of its stream: subscribed implicitly to <see cref="AdoNetStreamNames.Namespace"/>, it takes each
/// batch container in one call (a batch observer, the consuming side of a producer's <c>OnNextBatchAsync</c>) and
/// passes every body to <see cref="AdoNetConsumerSink"/>. The provider confirms (deletes) the rows once the pulling
/// agent's cache has delivered them to every consumer.
/// </summary>
[ImplicitStreamSubscription(AdoNetStreamNames.Namespace)]
internal sealed class AdoNetBenchConsumerGrain(AdoNetConsumerSink sink)
    : Grain, IAdoNetBenchConsumerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<byte[]>().ResumeAsync(this).ConfigureAwait(true);

    public Task OnNextAsync(IList<SequentialItem<byte[]>> items)
    {
        var key = this.GetPrimaryKeyString();
        foreach (var item in items)
        {
            sink.Deliver(key, item.Item);
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
